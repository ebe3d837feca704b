package mailroom.directory.tenant;

/** A mail domain; it belongs to exactly one tenant. */
public record Domain(String id, String tenantKey, String name, long createdAt, long updatedAt) {}
