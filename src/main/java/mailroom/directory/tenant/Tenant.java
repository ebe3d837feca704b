package mailroom.directory.tenant;

public record Tenant(String key, String name, GeoPolicy geo, Limits limits, String accountId,
                     long createdAt, long updatedAt) {}
