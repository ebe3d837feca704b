package mailroom.directory.address;

/** One row of the address namespace: the address, its kind and the entity mail to it reaches. */
public record AddressEntry(String address, String tenantKey, String domainId, AddressKind kind, String ownerId,
                           boolean catchAll, long createdAt) {}
