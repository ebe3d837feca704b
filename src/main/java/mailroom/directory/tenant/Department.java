package mailroom.directory.tenant;

public record Department(String tenantKey, String departmentId, String openDepartmentId, String name,
                         String parentDepartmentId) {}
