package mailroom.directory.address;

import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.Records;


/**
 * Rules shared by everything that passes through the recycle bin (user and public mailboxes): where
 * the mail of a removed mailbox may be sent, and what releasing its addresses must clean up so that
 * nothing is left that could block re-creating the same address.
 */
public final class RecycleBin {
    private RecycleBin() {}

    /** Checks a forwarding target: an in-service address of the tenant, not the mailbox itself. */
    public static String forwardTarget(Records r, String tenantKey, String raw, String selfOwnerId, String field) {
        Address address = Address.parse(raw, field);
        AddressEntry entry = r.addresses().find(address.toString())
                .filter(e -> e.tenantKey().equals(tenantKey))
                .orElseThrow(() -> DirectoryException.ofField(Reason.INVALID_ARGUMENT, field,
                        " " + address + " is not an address of this tenant"));
        if (entry.ownerId().equals(selfOwnerId)) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " must not be the mailbox itself");
        }
        if (AddressLookup.ownerStatus(r, tenantKey, entry) != AddressLookup.Status.ENABLED) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " " + address + " is not in service");
        }
        return address.toString();
    }
}
