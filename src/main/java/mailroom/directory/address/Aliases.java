package mailroom.directory.address;

import java.time.Clock;
import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Records;
import mailroom.directory.address.Namespace.Owner;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;

/**
 * Alias operations of one kind of owner (mail group, public mailbox, user mailbox): resolve the owner
 * by id or address, then add, list or remove rows of the namespace that deliver to it.
 */
public final class Aliases {
    /** Finds an in-service owner of this kind, or throws its "not found" reason. */
    @FunctionalInterface
    public interface OwnerResolver {
        Owner resolve(Records r, String tenantKey, String ref);
    }

    private final DirectoryStore store;
    private final Clock clock;
    private final AddressKind aliasKind;
    private final OwnerResolver owners;

    public Aliases(DirectoryStore store, Clock clock, AddressKind aliasKind, OwnerResolver owners) {
        this.store = store;
        this.clock = clock;
        this.aliasKind = aliasKind;
        this.owners = owners;
    }

    public Alias add(Caller caller, String ownerRef, String alias) {
        long now = clock.millis();
        return store.writeTenant(caller.tenantKey(), r -> {
            Tenant tenant = Tenants.require(r, caller.tenantKey());
            Owner owner = owners.resolve(r, caller.tenantKey(), ownerRef);
            AddressEntry entry = Namespace.addAlias(r, caller, tenant, owner, Address.parse(alias, "alias"),
                    aliasKind, false, "an address", now);
            return new Alias(owner.email(), entry.address(), false);
        });
    }

    public List<Alias> list(Caller caller, String ownerRef) {
        return store.read(r -> {
            Owner owner = owners.resolve(r, caller.tenantKey(), ownerRef);
            return r.addresses().aliasesOf(owner.id()).stream()
                    .map(a -> new Alias(owner.email(), a.address(), a.catchAll())).toList();
        });
    }

    public void remove(Caller caller, String ownerRef, String alias) {
        long now = clock.millis();
        store.writeTenant(caller.tenantKey(), r -> {
            Namespace.removeAlias(r, caller, owners.resolve(r, caller.tenantKey(), ownerRef), alias, now);
            return null;
        });
    }
}
