package mailroom.directory;

import mailroom.directory.Model.AddressEntry;

/**
 * Rules shared by everything that passes through the recycle bin (user and public mailboxes): where
 * the mail of a removed mailbox may be sent, and what releasing its addresses must clean up so that
 * nothing is left that could block re-creating the same address.
 */
final class RecycleBin {
    private RecycleBin() {}

    /** Checks a forwarding target: an in-service address of the tenant, not the mailbox itself. */
    static String forwardTarget(Records r, String tenantKey, String raw, String selfOwnerId, String field) {
        Address address = Address.parse(raw, field);
        AddressEntry entry = r.addresses().find(address.toString())
                .filter(e -> e.tenantKey().equals(tenantKey))
                .orElseThrow(() -> new DirectoryException(Reason.INVALID_ARGUMENT,
                        field + " " + address + " is not an address of this tenant", field));
        if (entry.ownerId().equals(selfOwnerId)) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, field + " must not be the mailbox itself", field);
        }
        if (AddressLookup.ownerStatus(r, tenantKey, entry) != AddressLookup.Status.ENABLED) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, field + " " + address + " is not in service", field);
        }
        return address.toString();
    }
}
