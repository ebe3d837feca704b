package mailroom.directory.tenant;

public record Domain(String id, String tenantKey, String name, long createdAt, long updatedAt) {}
