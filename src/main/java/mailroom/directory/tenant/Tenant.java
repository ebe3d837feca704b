package mailroom.directory.tenant;

/** An organisation: its limits, data-residency policy and, when it has one, its account id. */
public record Tenant(String key, String name, GeoPolicy geo, Limits limits, String accountId,
                     long createdAt, long updatedAt) {}
