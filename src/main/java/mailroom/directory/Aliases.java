package mailroom.directory;

import java.time.Clock;
import java.util.List;
import mailroom.directory.Model.*;

/**
 * Alias operations of one kind of owner (mail group, public mailbox, user mailbox): resolve the owner
 * by id or address, then add, list or remove rows of the namespace that deliver to it.
 */
public final class Aliases {
    /** The owner an alias delivers to: its id and primary address. */
    record Owner(String id, String email) {}

    /** Finds an in-service owner of this kind, or throws its "not found" reason. */
    @FunctionalInterface
    interface OwnerResolver {
        Owner resolve(Records r, String tenantKey, String ref);
    }

    private final DirectoryStore store;
    private final Clock clock;
    private final AddressKind aliasKind;
    private final OwnerResolver owners;

    Aliases(DirectoryStore store, Clock clock, AddressKind aliasKind, OwnerResolver owners) {
        this.store = store;
        this.clock = clock;
        this.aliasKind = aliasKind;
        this.owners = owners;
    }

    public Alias add(String tenantKey, String ownerRef, String alias) {
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            Owner owner = owners.resolve(r, tenantKey, ownerRef);
            AddressEntry entry = Namespace.addAlias(r, tenant, owner.id(), alias, aliasKind, now);
            return new Alias(owner.email(), entry.address(), false);
        });
    }

    public List<Alias> list(String tenantKey, String ownerRef) {
        return store.read(r -> {
            Owner owner = owners.resolve(r, tenantKey, ownerRef);
            return r.addresses().aliasesOf(owner.id()).stream()
                    .map(a -> new Alias(owner.email(), a.address(), a.catchAll())).toList();
        });
    }

    public void remove(String tenantKey, String ownerRef, String alias) {
        store.writeTenant(tenantKey, r -> {
            Namespace.removeAlias(r, owners.resolve(r, tenantKey, ownerRef).id(), alias);
            return null;
        });
    }
}
