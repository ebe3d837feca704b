package mailroom.api.admin;

import io.helidon.http.Method;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.TenantLifecycle;

/** A tenant's domains: list, add (a domain belongs to one tenant), remove (refused while an address uses it). */
final class DomainsApi {
    private final TenantLifecycle lifecycle;

    DomainsApi(TenantLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/tenants/{key}/domains", Access.READ, Scope.TENANT,
                call -> Reply.ok(call.page(lifecycle.domains(call.path("key")), Domain::name, AdminViews::domain)));
        router.route(Method.POST, "/tenants/{key}/domains", Access.WRITE, Scope.TENANT, this::add);
        router.route(Method.DELETE, "/tenants/{key}/domains/{domain}", Access.WRITE, Scope.TENANT, call -> {
            String key = call.path("key");
            lifecycle.removeDomain(call.caller(key), key, call.path("domain"));
            return Reply.noContent();
        });
    }

    private Reply add(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("domain");
        String name = call.string("domain", true);
        call.requireValid();
        Domain added = lifecycle.addDomain(call.caller(key), key, name);
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/domains/" + added.name(), AdminViews.domain(added));
    }
}
