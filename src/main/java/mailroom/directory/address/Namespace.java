package mailroom.directory.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryException;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;

/**
 * The one address namespace: every deliverable address has exactly one owner, and this class is the only
 * writer of it. Claims go through a unique index (insert-if-absent) so that of two racing transactions
 * exactly one wins; the loser reads the winner's row to answer with the right conflict.
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
        // addresses at once (bulk creation: one lookup, then one batch insert) sees an authoritative answer.
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

    /** The current owners of those of the addresses that are owned, by address (one query). */
    public static Map<String, AddressEntry> owners(Records r, String tenantKey, Collection<String> addresses) {
        r.lockTenant(tenantKey);
        Map<String, AddressEntry> out = new HashMap<>();
        for (AddressEntry e : r.addresses().findAll(addresses)) out.put(e.address(), e);
        return out;
    }

    /**
     * Claims many addresses in one statement. The caller found them free through {@link #owners} in this
     * same transaction; the tenant lock it took there keeps that answer true until commit.
     */
    public static void claimAll(Records r, String tenantKey, List<AddressEntry> entries) {
        r.lockTenant(tenantKey);
        r.addresses().insertAll(entries);
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

    /** An owner of addresses: its id and primary address. */
    public record Owner(String id, String email) {}

    /**
     * Adds an alias to an owner: a taken address is refused as such first, then the tenant's per-address
     * alias limit ("{@code ownerNoun} may have at most N aliases"), then, for a catch-all, the one catch-all
     * of its domain.
     */
    public static AddressEntry addAlias(Records r, Caller caller, Tenant tenant, Owner owner, Address alias,
                                 AddressKind aliasKind, boolean catchAll, String ownerNoun, long now) {
        Domain domain = domainOf(r, tenant.key(), alias);
        r.lockTenant(tenant.key());
        Optional<AddressEntry> existing = r.addresses().find(alias.toString());
        if (existing.isPresent()) throw conflict(existing.get(), aliasKind);
        if (r.addresses().countAliases(owner.id()) >= tenant.limits().aliasesPerAddress()) {
            throw new DirectoryException(Reason.ALIAS_LIMIT_REACHED,
                    ownerNoun + " may have at most " + tenant.limits().aliasesPerAddress() + " aliases");
        }
        if (catchAll) {
            Optional<AddressEntry> current = r.addresses().catchAllOf(domain.id());
            if (current.isPresent()) {
                throw new DirectoryException(Reason.CATCH_ALL_TAKEN,
                        "domain " + domain.name() + " already has a catch-all alias (" + current.get().address() + ")");
            }
        }
        AddressEntry entry = claim(r, tenant.key(), alias, aliasKind, owner.id(), catchAll, now);
        Journal.created(r, caller, now, States.aliasKind(aliasKind), entry.address(), States.alias(entry, owner.email()));
        return entry;
    }

    /** Removes one alias of the owner; ALIAS_NOT_FOUND when the address is not this owner's alias. */
    public static void removeAlias(Records r, Caller caller, Owner owner, String aliasRaw, long now) {
        AddressEntry entry = Address.lookupKey(aliasRaw).flatMap(r.addresses()::find)
                .filter(e -> e.kind().isAlias() && e.ownerId().equals(owner.id()))
                .orElseThrow(() -> new DirectoryException(Reason.ALIAS_NOT_FOUND, "alias " + aliasRaw + " not found"));
        deleteAlias(r, caller, entry, owner.email(), now);
        dropMembersNaming(r, caller, List.of(entry.address()), now); // they would reach its next owner
    }

    /**
     * Gives an owner a new primary address; the old one is freed, and member entries naming it are dropped
     * (they would reach its next owner).
     */
    public static void move(Records r, Caller caller, String ownerId, String from, Address to, AddressKind kind, long now) {
        claim(r, caller.tenantKey(), to, kind, ownerId, false, now);
        r.addresses().delete(from);
        dropMembersNaming(r, caller, List.of(from), now);
    }

    /**
     * Gives an owner a new primary address and keeps the old one as its alias, so mail to it still arrives.
     * When the new address is the owner's own alias, the two swap roles and the alias count is unchanged;
     * otherwise the old address needs room under the alias limit.
     */
    public static void moveKeepingAlias(Records r, Caller caller, Tenant tenant, Owner owner, Address to,
                                 AddressKind primaryKind, AddressKind aliasKind, long now) {
        domainOf(r, tenant.key(), to);
        Optional<AddressEntry> existing = r.addresses().find(to.toString());
        boolean ownAlias = existing.isPresent() && existing.get().ownerId().equals(owner.id());
        if (ownAlias) deleteAlias(r, caller, existing.get(), owner.email(), now);
        claim(r, tenant.key(), to, primaryKind, owner.id(), false, now);
        if (!ownAlias && r.addresses().countAliases(owner.id()) >= tenant.limits().aliasesPerAddress()) {
            throw new DirectoryException(Reason.ALIAS_LIMIT_REACHED, "the old address " + owner.email()
                    + " would become an alias, but the mailbox already has "
                    + tenant.limits().aliasesPerAddress() + " aliases");
        }
        AddressEntry old = r.addresses().find(owner.email()).orElseThrow();
        r.addresses().delete(owner.email());
        AddressEntry alias = new AddressEntry(old.address(), old.tenantKey(), old.domainId(), aliasKind, owner.id(),
                false, now);
        r.addresses().tryInsert(alias);
        Journal.created(r, caller, now, States.aliasKind(aliasKind), alias.address(), States.alias(alias, to.toString()));
    }

    /**
     * Frees an owner's address and aliases and drops the OTHER_MEMBER entries that name any of them, so
     * that nothing is left that could block or misdirect a later owner of the same address.
     */
    public static void releaseAll(Records r, Caller caller, Owner owner, long now) {
        List<String> addresses = new ArrayList<>(List.of(owner.email()));
        for (AddressEntry alias : r.addresses().aliasesOf(owner.id())) {
            addresses.add(alias.address());
            Journal.deleted(r, caller, now, States.aliasKind(alias.kind()), alias.address(),
                    States.alias(alias, owner.email()));
        }
        dropMembersNaming(r, caller, addresses, now);
        r.addresses().deleteOwnedBy(owner.id());
    }

    private static void deleteAlias(Records r, Caller caller, AddressEntry alias, String ownerEmail, long now) {
        r.addresses().delete(alias.address());
        Journal.deleted(r, caller, now, States.aliasKind(alias.kind()), alias.address(), States.alias(alias, ownerEmail));
    }

    private static void dropMembersNaming(Records r, Caller caller, List<String> addresses, long now) {
        MailGroups.journalRemoved(r, caller, now, r.mailGroups().deleteMembersAddressedTo(addresses));
    }
}
