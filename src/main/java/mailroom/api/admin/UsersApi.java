package mailroom.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import java.util.ArrayList;
import java.util.List;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.tenant.Tenants.UserSpec;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.Users;
import mailroom.directory.tenant.Users.UserChange;
import mailroom.directory.tenant.Users.UserQuery;
import mailroom.directory.tenant.Users.UserView;

/**
 * Users: list (cursor paging by user_id, search, department with its sub-departments), create (an email gives the
 * user a mailbox), show, change by JSON merge patch, delete (the mailbox goes to the recycle bin).
 */
final class UsersApi {
    private static final String[] FIELDS = {"user_id", "open_id", "union_id", "name", "email", "departments"};
    /** Longest ?search=: longer than any user_id, name or address could match. */
    private static final int MAX_SEARCH = 320;

    private final Users users;

    UsersApi(Users users) {
        this.users = users;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/tenants/{key}/users", Access.READ, Scope.TENANT, this::list);
        router.route(Method.POST, "/tenants/{key}/users", Access.WRITE, Scope.TENANT, this::create);
        router.route(Method.GET, "/tenants/{key}/users/{user_id}", Access.READ, Scope.TENANT,
                call -> Reply.ok(AdminViews.user(users.get(call.caller(call.path("key")), call.path("user_id")))));
        router.route(Method.PATCH, "/tenants/{key}/users/{user_id}", Access.WRITE, Scope.TENANT, this::update);
        router.route(Method.DELETE, "/tenants/{key}/users/{user_id}", Access.WRITE, Scope.TENANT, call -> {
            users.delete(call.caller(call.path("key")), call.path("user_id"));
            return Reply.noContent();
        });
    }

    private Reply list(AdminCall call) {
        String key = call.path("key");
        int limit = call.limit();
        String after = call.cursor();
        String search = call.query("search").orElse(null);
        if (search != null && search.length() > MAX_SEARCH) {
            throw AdminException.invalid("search", "must be at most " + MAX_SEARCH + " characters");
        }
        String department = call.query("department").filter(d -> !d.isEmpty()).orElse(null);
        List<UserView> rows = users.list(call.caller(key), new UserQuery(after, search, department, limit + 1));
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) items.add(AdminViews.user(rows.get(i)));
        String next = rows.size() > limit ? AdminCall.cursorOf(rows.get(limit - 1).user().userId()) : null;
        return Reply.ok(new AdminViews.Listing(items, next));
    }

    private Reply create(AdminCall call) {
        String key = call.path("key");
        call.onlyFields(FIELDS);
        String userId = call.string("user_id", false);
        String openId = call.string("open_id", false);
        String unionId = call.string("union_id", false);
        String name = call.string("name", true);
        String email = call.string("email", false);
        List<String> departments = call.strings("departments", false);
        call.requireValid();
        UserView created = users.create(call.caller(key), new UserSpec(new User(null, key, userId, openId, unionId, name), email,
                departments == null ? List.of() : departments));
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/users/" + created.user().userId(), AdminViews.user(created));
    }

    /**
     * JSON merge patch (RFC 7386): a member given replaces, absent stays. null removes: the departments (the user
     * is then in none) or the email of a user without a mailbox; the ids and the name cannot be removed, and a
     * user's mailbox leaves only with the user.
     */
    private Reply update(AdminCall call) {
        String key = call.path("key");
        String userId = call.path("user_id");
        call.onlyFields(FIELDS);
        String givenUserId = call.string("user_id", false);
        if (call.body().has("user_id") && (givenUserId == null || !givenUserId.equals(userId))) {
            call.error("user_id", "cannot be changed (it names the user)");
        }
        for (String f : new String[]{"open_id", "union_id", "name"}) {
            if (call.body().has(f) && call.body().get(f).isNull()) call.error(f, "may not be removed");
        }
        String openId = call.string("open_id", false);
        String unionId = call.string("union_id", false);
        String name = call.string("name", false);
        String email = call.string("email", false);
        JsonNode emailNode = call.body().get("email");
        boolean removeEmail = emailNode != null && emailNode.isNull();
        List<String> departments = call.body().has("departments") ? call.strings("departments", false) : null;
        if (call.body().has("departments") && departments == null && call.body().get("departments").isNull()) departments = List.of();
        call.requireValid();
        return Reply.ok(AdminViews.user(users.update(call.caller(key), userId,
                new UserChange(openId, unionId, name, email, removeEmail, departments))));
    }
}
