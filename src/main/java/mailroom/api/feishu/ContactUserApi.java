package mailroom.api.feishu;

import static io.helidon.http.Method.DELETE;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.PATCH;
import static io.helidon.http.Method.POST;
import static mailroom.api.feishu.FeishuScopes.CONTACT;
import static mailroom.api.feishu.FeishuScopes.CONTACT_ACCESS_AS_APP;
import static mailroom.api.feishu.FeishuScopes.CONTACT_BASE_READONLY;
import static mailroom.api.feishu.FeishuScopes.CONTACT_READONLY;
import static mailroom.api.feishu.FeishuScopes.CONTACT_READONLY_AS_APP;
import static mailroom.api.feishu.FeishuScopes.DEPARTMENT_ORGANIZE_READONLY;
import static mailroom.api.feishu.FeishuScopes.USER_BASE_READONLY;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.api.FieldNames;
import mailroom.directory.DirectoryException;
import mailroom.directory.PageRequest;
import mailroom.directory.Reason;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.directory.tenant.Users;
import mailroom.directory.tenant.Users.UserChange;
import mailroom.directory.tenant.Users.UserQuery;
import mailroom.directory.tenant.Users.UserView;

/**
 * Feishu contact v3 users, the part a mail integrator needs (docs/feishu-contact.md): create (an
 * {@code enterprise_email} gives the user a mailbox), get, patch, delete (the mailbox goes to the recycle bin)
 * and the users directly in a department. Every rule is the directory's {@link Users}; this class maps ids and codes.
 */
final class ContactUserApi {
    static final String BASE = "/open-apis/contact/v3/users";
    static final String RATE = "1000/min & 50/s";
    /** The directory's user fields as a contact v3 user body names them. */
    static final FieldNames FIELDS = new FieldNames(Map.of("email", "enterprise_email", "departments", "department_ids"));
    /** The most departments Feishu lets one user be in. */
    static final int MAX_DEPARTMENTS = 50;
    static final String[] READ_SCOPES = {CONTACT_BASE_READONLY, CONTACT_ACCESS_AS_APP, CONTACT_READONLY, CONTACT_READONLY_AS_APP,
        USER_BASE_READONLY};

    /** The fields of a contact v3 user this server keeps; every other field the SDK's {@code User} model has is ignored. */
    record UserBody(String userId, String name, String enterpriseEmail, List<String> departmentIds) {}

    private final Users users;
    private final Tenants tenants;
    private final ContactDepartmentApi departments;
    private final AddressLookup lookup;

    ContactUserApi(Users users, Tenants tenants, ContactDepartmentApi departments, AddressLookup lookup) {
        this.users = users;
        this.tenants = tenants;
        this.departments = departments;
        this.lookup = lookup;
    }

    void register(FeishuRouter r) {
        writeErrors(r.route(POST, BASE).scopes(CONTACT).rate(RATE)).handle(this::create);
        r.route(GET, BASE + "/find_by_department").scopes(CONTACT_ACCESS_AS_APP, CONTACT_READONLY, CONTACT_READONLY_AS_APP,
                        DEPARTMENT_ORGANIZE_READONLY, USER_BASE_READONLY).rate(RATE)
                .override(Reason.DEPARTMENT_NOT_FOUND, FeishuErrors.NO_DEPT_AUTHORITY)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM).handle(this::findByDepartment);
        r.route(GET, BASE + "/:user_id").scopes(READ_SCOPES).rate(RATE)
                .override(Reason.USER_NOT_FOUND, FeishuErrors.NO_USER_AUTHORITY)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM)
                .handle(c -> Map.of("user", view(c, users.get(c.caller(), userId(c)))));
        writeErrors(r.route(PATCH, BASE + "/:user_id").scopes(CONTACT).rate(RATE)).handle(this::patch);
        r.route(DELETE, BASE + "/:user_id").scopes(CONTACT).rate(RATE)
                .override(Reason.USER_NOT_FOUND, FeishuErrors.NO_USER_AUTHORITY)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM).handle(c -> {
                    users.delete(c.caller(), userId(c));
                    return null;
                });
    }

    /** The codes Feishu documents for create and patch, for each refusal of the directory's user rules. */
    private static FeishuRouter.RouteBuilder writeErrors(FeishuRouter.RouteBuilder b) {
        return b.fields(FIELDS)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM)
                .override(Reason.INVALID_ADDRESS, FeishuErrors.CONTACT_PARAM)
                .override(Reason.INVALID_ARGUMENT, "user_id", FeishuErrors.USER_ID_INVALID)
                .override(Reason.INVALID_ARGUMENT, "name", FeishuErrors.NAME_TOO_LONG)
                .override(Reason.INVALID_ARGUMENT, "departments", FeishuErrors.TOO_MANY_DEPARTMENTS)
                // The door parses the address under its wire name; the directory names "email" only for a domain
                // that is not the tenant's, and for a new address of a mailbox in the recycle bin.
                .override(Reason.INVALID_ADDRESS, "enterprise_email", FeishuErrors.EMAIL_PREFIX_INVALID)
                .override(Reason.INVALID_ADDRESS, "email", FeishuErrors.EMAIL_DOMAIN_UNAVAILABLE)
                .override(Reason.INVALID_ARGUMENT, "email", FeishuErrors.EMAIL_IN_RECYCLE_BIN)
                .override(Reason.ADDRESS_TAKEN, FeishuErrors.EMAIL_PREFIX_TAKEN)
                .override(Reason.ADDRESS_IS_LOGIN_ACCOUNT, FeishuErrors.EMAIL_IS_ACCOUNT)
                .override(Reason.MAILBOX_LIMIT_REACHED, FeishuErrors.MAILBOX_QUOTA)
                .override(Reason.USER_TAKEN, FeishuErrors.USER_ID_TAKEN)
                .override(Reason.USER_NOT_FOUND, FeishuErrors.NO_USER_AUTHORITY)
                .override(Reason.DEPARTMENT_NOT_FOUND, FeishuErrors.NO_DEPT_AUTHORITY);
    }

    private Object create(FeishuCall c) {
        c.userIdKind();
        UserBody body = c.body(UserBody.class);
        if (body.name() == null || body.name().isBlank()) {
            throw ContactDepartmentApi.refusal(FeishuErrors.NO_USER_NAME, "name", "name is required");
        }
        String email = enterpriseEmail(body.enterpriseEmail());
        List<String> departmentIds = departments.toDirectory(c, body.departmentIds(), "department_ids");
        UserView created;
        try {
            created = users.create(c.caller(), new Tenants.UserSpec(new User(null, c.tenantKey(), body.userId(), null, null, body.name()),
                    email, departmentIds));
        } catch (DirectoryException e) {
            throw inRecycleBin(c, e, email);
        }
        return Map.of("user", view(c, created));
    }

    private Object patch(FeishuCall c) {
        c.userIdKind();
        String userId = userId(c);
        UserBody body = c.body(UserBody.class);
        if (body.name() != null && body.name().isBlank()) {
            throw ContactDepartmentApi.refusal(FeishuErrors.NO_USER_NAME, "name", "name must not be empty");
        }
        String email = enterpriseEmail(body.enterpriseEmail());
        List<String> departmentIds = body.departmentIds() == null ? null : departments.toDirectory(c, body.departmentIds(), "department_ids");
        UserView changed;
        try {
            changed = users.update(c.caller(), userId, new UserChange(null, null, body.name(), email, false, departmentIds));
        } catch (DirectoryException e) {
            throw inRecycleBin(c, e, email);
        }
        return Map.of("user", view(c, changed));
    }

    /** An address taken by a mailbox that is in the recycle bin is Feishu's 41069, not "already an account". */
    private RuntimeException inRecycleBin(FeishuCall c, DirectoryException e, String email) {
        if (e.reason() == Reason.ADDRESS_IS_LOGIN_ACCOUNT && email != null
                && lookup.query(c.caller(), List.of(email)).get(0).status() == AddressLookup.Status.RECYCLED) {
            return ContactDepartmentApi.refusal(FeishuErrors.EMAIL_IN_RECYCLE_BIN, "enterprise_email",
                    email + " is a mailbox in the recycle bin: release it (mail v1 DELETE /user_mailboxes/:email) first");
        }
        return e;
    }

    /** The address checked by the directory's own parser, refused under its wire name; blank = not given. */
    private static String enterpriseEmail(String email) {
        if (email == null || email.isBlank()) return null;
        return Address.parse(email, "enterprise_email").toString();
    }

    /** The path's user as a user_id, looked up by the query's user_id_type. */
    private String userId(FeishuCall c) {
        UserIdKind kind = c.userIdKind();
        String id = c.path("user_id");
        if (kind == UserIdKind.USER_ID) return id;
        return tenants.user(c.tenantKey(), new UserRef(kind, id)).map(User::userId)
                .orElseThrow(() -> new DirectoryException(Reason.USER_NOT_FOUND, "user " + id + " not found"));
    }

    /** The users directly in the department (department_id "0": in none), user_id order, paged by offset. */
    private Object findByDepartment(FeishuCall c) {
        c.userIdKind();
        String asked = c.query("department_id");
        if (asked == null || asked.isEmpty()) {
            throw ContactDepartmentApi.refusal(FeishuErrors.CONTACT_PARAM, "department_id", "department_id is required");
        }
        String department = departments.resolve(c, asked, FeishuErrors.NO_DEPT_AUTHORITY);
        PageRequest page = c.page(10, 50, FeishuErrors.PAGE_SIZE_INVALID, FeishuErrors.PAGE_TOKEN_INVALID);
        List<UserView> direct = new ArrayList<>();
        String after = null;
        while (true) {
            List<UserView> batch = users.list(c.caller(), new UserQuery(after, null, department, 500));
            for (UserView v : batch) {
                if (department == null ? v.departments().isEmpty() : v.departments().contains(department)) direct.add(v);
            }
            if (batch.size() < 500) break;
            after = batch.get(batch.size() - 1).user().userId();
        }
        int from = page.afterCursor() == null ? 0 : (int) Math.min(Long.parseLong(page.afterCursor()), direct.size());
        int to = Math.min(direct.size(), from + page.size());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("has_more", to < direct.size());
        if (to < direct.size()) data.put("page_token", FeishuCall.encodePageToken(Integer.toString(to)));
        ContactDepartmentApi.Tree tree = departments.tree(c.tenantKey());
        data.put("items", direct.subList(from, to).stream().map(v -> view(c, v, tree)).toList());
        return data;
    }

    private Object view(FeishuCall c, UserView v) {
        return view(c, v, departments.tree(c.tenantKey()));
    }

    /**
     * A contact v3 user: its three ids (user_id only for an app with the employee-id field scope), name,
     * enterprise_email (its mailbox's address), department_ids of the asked kind ("0" for none), status.
     */
    private static Map<String, Object> view(FeishuCall c, UserView v, ContactDepartmentApi.Tree tree) {
        DepartmentIdKind kind = c.departmentIdKind();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("union_id", v.user().unionId());
        if (c.hasScope(FeishuScopes.EMPLOYEE_ID)) m.put("user_id", v.user().userId());
        m.put("open_id", v.user().openId());
        m.put("name", v.user().name());
        if (v.email() != null) m.put("enterprise_email", v.email());
        List<String> ids = v.departments().stream().map(d -> tree.idOfKind(d, kind)).toList();
        m.put("department_ids", ids.isEmpty() ? List.of(ContactDepartmentApi.ROOT) : ids);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("is_frozen", false);
        status.put("is_resigned", false);
        status.put("is_activated", true);
        status.put("is_exited", false);
        status.put("is_unjoin", false);
        m.put("status", status);
        return m;
    }
}
