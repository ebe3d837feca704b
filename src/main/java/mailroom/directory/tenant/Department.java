package mailroom.directory.tenant;

/** A department of the organisation, possibly below another one. */
public record Department(String tenantKey, String departmentId, String openDepartmentId, String name,
                         String parentDepartmentId) {}
