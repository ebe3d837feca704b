package mailroom.api.admin;

import io.helidon.http.Method;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.address.AddressLookup;

/** Who owns an address of a tenant: one answer shape for user mailboxes, public mailboxes, mail groups and their aliases. */
final class AddressesApi {
    private final AddressLookup lookup;

    AddressesApi(AddressLookup lookup) {
        this.lookup = lookup;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/tenants/{key}/addresses/{address}", Access.READ, Scope.TENANT, call -> {
            String address = call.path("address");
            return Reply.ok(AdminViews.ownership(lookup.owner(call.caller(call.path("key")), address)
                    .orElseThrow(() -> AdminException.notFound("nobody owns " + address))));
        });
    }
}
