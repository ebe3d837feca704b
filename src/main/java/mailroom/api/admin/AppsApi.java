package mailroom.api.admin;

import io.helidon.http.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.access.App;
import mailroom.directory.access.Apps;

/**
 * A tenant's Feishu custom apps: list, create (the secret answered once), show, change scopes, delete, and
 * rotate the secret (the new one answered once). Scopes are those the Feishu door knows.
 */
final class AppsApi {
    private static final String BASE = "/tenants/{key}/apps";

    private final Apps apps;
    private final Set<String> knownScopes;

    /** @param knownScopes the scopes the Feishu door checks; an app may be granted only these */
    AppsApi(Apps apps, Set<String> knownScopes) {
        this.apps = apps;
        this.knownScopes = Set.copyOf(knownScopes);
    }

    void register(AdminRouter router) {
        router.route(Method.GET, BASE, Access.READ, Scope.TENANT,
                call -> Reply.ok(call.page(apps.list(call.path("key")), App::appId, AdminViews::app)));
        router.route(Method.POST, BASE, Access.WRITE, Scope.TENANT, this::create);
        router.route(Method.GET, BASE + "/{app_id}", Access.READ, Scope.TENANT,
                call -> Reply.ok(AdminViews.app(apps.get(call.path("key"), call.path("app_id")))));
        router.route(Method.PATCH, BASE + "/{app_id}", Access.WRITE, Scope.TENANT, this::update);
        router.route(Method.DELETE, BASE + "/{app_id}", Access.WRITE, Scope.TENANT, call -> {
            apps.delete(call.caller(call.path("key")), call.path("app_id"));
            return Reply.noContent();
        });
        router.route(Method.POST, BASE + "/{app_id}/rotate-secret", Access.WRITE, Scope.TENANT,
                call -> Reply.ok(withSecret(apps.rotateSecret(call.caller(call.path("key")), call.path("app_id")))));
    }

    private Reply create(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("app_id", "scopes");
        String appId = call.string("app_id", false);
        List<String> scopes = call.strings("scopes", true);
        call.requireValid();
        Apps.Issued issued = apps.create(call.caller(key), appId, scopes, knownScopes);
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/apps/" + issued.app().appId(), withSecret(issued));
    }

    /** JSON merge patch: {@code scopes} given replaces the list; absent, nothing changes. */
    private Reply update(AdminCall call) {
        String key = call.path("key");
        String appId = call.path("app_id");
        call.onlyFields("scopes");
        if (call.body().has("scopes") && call.body().get("scopes").isNull()) call.error("scopes", "may not be removed (an empty list grants none)");
        List<String> scopes = call.strings("scopes", false);
        call.requireValid();
        App app = scopes == null ? apps.get(key, appId) : apps.update(call.caller(key), appId, scopes, knownScopes);
        return Reply.ok(AdminViews.app(app));
    }

    private static Map<String, Object> withSecret(Apps.Issued issued) {
        Map<String, Object> body = AdminViews.app(issued.app());
        body.put("app_secret", issued.secret());
        return body;
    }
}
