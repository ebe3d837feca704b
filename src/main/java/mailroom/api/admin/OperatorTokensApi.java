package mailroom.api.admin;

import io.helidon.http.Method;
import java.util.Map;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.access.OperatorTokens;

/** Operator tokens: list, create (the token answered once), revoke. Server-wide: a scoped token may not manage them. */
final class OperatorTokensApi {
    private final OperatorTokens tokens;

    OperatorTokensApi(OperatorTokens tokens) {
        this.tokens = tokens;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/operator-tokens", Access.READ, Scope.SERVER,
                call -> Reply.ok(call.page(tokens.list(null), OperatorTokensApi::sortKey, AdminViews::operatorToken)));
        router.route(Method.POST, "/operator-tokens", Access.WRITE, Scope.SERVER, this::create);
        router.route(Method.DELETE, "/operator-tokens/{id}", Access.WRITE, Scope.SERVER, call -> {
            String id = call.path("id");
            tokens.revoke(call.caller(OperatorTokens.SERVER), id);
            return Reply.noContent();
        });
    }

    /** Oldest first, as the store lists them: creation time (fixed width, so strings sort as numbers), then id. */
    private static String sortKey(OperatorToken t) {
        return String.format("%015d|%s", t.createdAt(), t.id());
    }

    private Reply create(AdminCall call) {
        call.onlyFields("name", "role", "tenant");
        String name = call.string("name", true);
        String roleName = call.string("role", true);
        String tenant = call.string("tenant", false);
        OperatorToken.Role role = roleName == null ? null : OperatorToken.Role.parse(roleName);
        if (roleName != null && role == null) call.error("role", "must be admin or viewer");
        call.requireValid();
        OperatorTokens.Issued issued = tokens.create(call.caller(OperatorTokens.SERVER), name, role, tenant);
        Map<String, Object> body = AdminViews.operatorToken(issued.token());
        body.put("token", issued.plaintext());
        return Reply.created(AdminRouter.ROOT + "/operator-tokens/" + issued.token().id(), body);
    }
}
