package mailroom.api.admin;

import io.helidon.http.Method;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.access.ServiceAccounts;

/**
 * A tenant's Hybridbox service accounts: list, create (the token answered once), revoke. The operator holds
 * every capability, so may grant any; a tenant without an account id has none (409).
 */
final class ServiceAccountsApi {
    private static final String BASE = "/tenants/{key}/service-accounts";
    private static final Set<String> EVERY_CAPABILITY = Set.copyOf(ServiceAccounts.CAPABILITIES);

    private final ServiceAccounts accounts;

    ServiceAccountsApi(ServiceAccounts accounts) {
        this.accounts = accounts;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, BASE, Access.READ, Scope.TENANT, this::list);
        router.route(Method.POST, BASE, Access.WRITE, Scope.TENANT, this::create);
        router.route(Method.DELETE, BASE + "/{id}", Access.WRITE, Scope.TENANT, call -> {
            accounts.revoke(call.caller(call.path("key")), EVERY_CAPABILITY, call.path("id"));
            return Reply.noContent();
        });
    }

    /** Oldest first; revoked ones only with {@code ?include_revoked=true}. */
    private Reply list(AdminCall call) {
        boolean includeRevoked = call.flag("include_revoked");
        List<ServiceAccount> all = new ArrayList<>(accounts.list(call.caller(call.path("key")), includeRevoked));
        all.sort(Comparator.comparing(ServiceAccountsApi::sortKey));
        return Reply.ok(call.page(all, ServiceAccountsApi::sortKey, AdminViews::serviceAccount));
    }

    /**
     * Creation time (fixed width, so strings sort as numbers), name, id: the order the cursor continues in. NUL
     * (which no name holds) separates them, so that a name sorts before every longer name it begins.
     */
    private static String sortKey(ServiceAccount s) {
        return String.format("%015d", s.createdAt()) + '\0' + s.name() + '\0' + s.id();
    }

    private Reply create(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("name", "permissions", "expires_at");
        String name = call.string("name", true);
        List<String> permissions = call.strings("permissions", true);
        String expires = call.string("expires_at", false);
        Long expiresAt = null;
        if (expires != null) {
            try {
                expiresAt = OffsetDateTime.parse(expires).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                call.error("expires_at", "must be an RFC 3339 date-time with an offset, like " + Instant.EPOCH);
            }
        }
        call.requireValid();
        ServiceAccounts.Issued issued = accounts.create(call.caller(key), EVERY_CAPABILITY, name, expiresAt, permissions);
        Map<String, Object> body = AdminViews.serviceAccount(issued.account());
        body.put("token", issued.token());
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/service-accounts/" + issued.account().id(), body);
    }
}
