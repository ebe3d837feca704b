package mailroom.directory;

import java.util.List;
import java.util.Optional;
import mailroom.directory.Model.*;

/**
 * The one address namespace: every deliverable address has exactly one owner. Claims go through a
 * unique index (insert-if-absent) so that of two racing transactions exactly one wins; the loser
 * reads the winner's row to answer with the right conflict.
 */
public final class Namespace {
    private Namespace() {}

    /** The tenant's domain for this address, or DOMAIN_NOT_FOUND. */
    public static Domain domainOf(Records r, String tenantKey, Address address) {
        return r.tenants().domainByName(address.domain())
                .filter(d -> d.tenantKey().equals(tenantKey))
                .orElseThrow(() -> new DirectoryException(Reason.DOMAIN_NOT_FOUND,
                        "domain " + address.domain() + " is not a domain of this tenant"));
    }

    public static boolean isTenantDomain(Records r, String tenantKey, String domain) {
        return r.tenants().domainByName(domain).filter(d -> d.tenantKey().equals(tenantKey)).isPresent();
    }

    /** Claims the address for the owner, or throws the conflict its current owner implies. */
    public static AddressEntry claim(Records r, String tenantKey, Address address, AddressKind kind,
                                     String ownerId, boolean catchAll, long now) {
        Domain domain = domainOf(r, tenantKey, address);
        // Every namespace write of a tenant holds the tenant lock until commit, so a writer that checks many
        // addresses at once (Hybridbox bulk: one lookup, then one batch insert) sees an authoritative answer.
        r.lockTenant(tenantKey);
        AddressEntry entry = new AddressEntry(address.toString(), tenantKey, domain.id(), kind, ownerId, catchAll, now);
        // On PostgreSQL (READ COMMITTED) the owner that made the insert do nothing can be deleted or renamed
        // away before we read it; the address is then free again, so claim it anew instead of failing.
        for (int attempt = 0; attempt < 3; attempt++) {
            if (r.addresses().tryInsert(entry)) return entry;
            Optional<AddressEntry> existing = r.addresses().find(entry.address());
            if (existing.isPresent()) throw conflict(existing.get(), kind);
        }
        throw new IllegalStateException("address keeps changing owner during claim: " + entry.address());
    }

    /** The refusal for claiming an address that is already owned, per the namespace rules. */
    public static DirectoryException conflict(AddressEntry existing, AddressKind requested) {
        if (existing.kind() == AddressKind.USER_MAILBOX) {
            return new DirectoryException(Reason.ADDRESS_IS_LOGIN_ACCOUNT,
                    existing.address() + " is a user's login account");
        }
        if (requested.isAlias() && existing.kind().isAlias()) {
            return new DirectoryException(Reason.ALIAS_TAKEN, existing.address() + " is already an alias");
        }
        return new DirectoryException(Reason.ADDRESS_TAKEN, existing.address() + " is already in use");
    }

    /** Adds an alias to an owner, enforcing the tenant's per-address alias limit. */
    public static AddressEntry addAlias(Records r, Tenant tenant, String ownerId, String aliasRaw,
                                        AddressKind aliasKind, long now) {
        Address alias = Address.parse(aliasRaw, "email_alias");
        domainOf(r, tenant.key(), alias);
        r.lockTenant(tenant.key());
        // A taken address is refused as such, whether or not the owner is also at its alias limit.
        Optional<AddressEntry> existing = r.addresses().find(alias.toString());
        if (existing.isPresent()) throw conflict(existing.get(), aliasKind);
        if (r.addresses().countAliases(ownerId) >= tenant.limits().aliasesPerAddress()) {
            throw new DirectoryException(Reason.ALIAS_LIMIT_REACHED,
                    "an address may have at most " + tenant.limits().aliasesPerAddress() + " aliases");
        }
        return claim(r, tenant.key(), alias, aliasKind, ownerId, false, now);
    }

    /** Removes one alias of the owner; ALIAS_NOT_FOUND when the address is not this owner's alias. */
    public static void removeAlias(Records r, String ownerId, String aliasRaw) {
        AddressEntry entry = Address.lookupKey(aliasRaw).flatMap(r.addresses()::find)
                .filter(e -> e.kind().isAlias() && e.ownerId().equals(ownerId))
                .orElseThrow(() -> new DirectoryException(Reason.ALIAS_NOT_FOUND, "alias " + aliasRaw + " not found"));
        r.addresses().delete(entry.address());
        r.mailGroups().deleteMembersAddressedTo(List.of(entry.address())); // they would reach its next owner
    }

    /**
     * Frees an owner's address and aliases and drops the OTHER_MEMBER entries that name any of them, so
     * that nothing is left that could block or misdirect a later owner of the same address.
     */
    static void releaseAll(Records r, String ownerId, String primary) {
        List<String> addresses = new java.util.ArrayList<>(List.of(primary));
        r.addresses().aliasesOf(ownerId).forEach(a -> addresses.add(a.address()));
        r.mailGroups().deleteMembersAddressedTo(addresses);
        r.addresses().deleteOwnedBy(ownerId);
    }
}
