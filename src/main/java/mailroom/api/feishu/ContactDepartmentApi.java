package mailroom.api.feishu;

import static io.helidon.http.Method.DELETE;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;
import static mailroom.api.feishu.FeishuScopes.CONTACT;
import static mailroom.api.feishu.FeishuScopes.CONTACT_ACCESS_AS_APP;
import static mailroom.api.feishu.FeishuScopes.CONTACT_READONLY;
import static mailroom.api.feishu.FeishuScopes.CONTACT_READONLY_AS_APP;
import static mailroom.api.feishu.FeishuScopes.DEPARTMENT_BASE_READONLY;
import static mailroom.api.feishu.FeishuScopes.DEPARTMENT_ORGANIZE_READONLY;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mailroom.api.FieldNames;
import mailroom.directory.PageRequest;
import mailroom.directory.Reason;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.Departments;
import mailroom.directory.tenant.Tenants;

/**
 * Feishu contact v3 departments (docs/feishu-contact.md): create, get, children, delete, with the directory's
 * {@link Departments} rules; and the translation of department ids of either kind ("0" is the root, i.e. no
 * department) that the contact user endpoints share.
 */
final class ContactDepartmentApi {
    static final String BASE = "/open-apis/contact/v3/departments";
    /** Feishu's id of the root department: in the directory, no department at all. */
    static final String ROOT = "0";
    private static final FieldNames FIELDS = new FieldNames(Map.of("parent", "parent_department_id"));
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The fields of a contact v3 department this server keeps; the SDK model's others are ignored. */
    record DepartmentBody(String name, String parentDepartmentId, String departmentId) {}

    /** The tenant's departments by department_id and by open_department_id, read once per request. */
    record Tree(Map<String, Department> byId, Map<String, Department> byOpenId) {
        String idOfKind(String departmentId, DepartmentIdKind kind) {
            if (departmentId == null) return ROOT;
            Department d = byId.get(departmentId);
            return kind == DepartmentIdKind.DEPARTMENT_ID || d == null ? departmentId : d.openDepartmentId();
        }

        Department find(String id, DepartmentIdKind kind) {
            return kind == DepartmentIdKind.DEPARTMENT_ID ? byId.get(id) : byOpenId.get(id);
        }

        /** The departments directly below (null: the top level), or all below when {@code deep}, in department_id order. */
        List<Department> below(String parent, boolean deep) {
            List<Department> out = new ArrayList<>();
            for (Department d : byId.values()) {
                if (!Objects.equals(d.parentDepartmentId(), parent)) continue;
                out.add(d);
                if (deep) out.addAll(below(d.departmentId(), true));
            }
            return out;
        }
    }

    private final Departments departments;
    private final Tenants tenants;

    ContactDepartmentApi(Departments departments, Tenants tenants) {
        this.departments = departments;
        this.tenants = tenants;
    }

    void register(FeishuRouter r) {
        r.route(POST, BASE).scopes(CONTACT).rate(ContactUserApi.RATE).fields(FIELDS)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM)
                .override(Reason.INVALID_ARGUMENT, "department_id", FeishuErrors.DEPT_ID_INVALID)
                .override(Reason.INVALID_ARGUMENT, "parent", FeishuErrors.NO_PARENT_DEPT_AUTHORITY)
                .override(Reason.DEPARTMENT_TAKEN, FeishuErrors.DEPT_ID_TAKEN).handle(this::create);
        r.route(GET, BASE + "/:department_id/children")
                .scopes(CONTACT_READONLY_AS_APP, DEPARTMENT_ORGANIZE_READONLY, CONTACT_ACCESS_AS_APP, CONTACT_READONLY)
                .rate(ContactUserApi.RATE).override(Reason.DEPARTMENT_NOT_FOUND, FeishuErrors.NO_DEPT_AUTHORITY)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM).handle(this::children);
        r.route(GET, BASE + "/:department_id")
                .scopes(CONTACT_READONLY_AS_APP, CONTACT_ACCESS_AS_APP, CONTACT_READONLY, DEPARTMENT_BASE_READONLY)
                .rate(ContactUserApi.RATE).override(Reason.DEPARTMENT_NOT_FOUND, FeishuErrors.DEPT_NOT_EXIST)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM).handle(this::get);
        r.route(DELETE, BASE + "/:department_id").scopes(CONTACT).rate(ContactUserApi.RATE)
                .override(Reason.DEPARTMENT_NOT_FOUND, FeishuErrors.DEPT_NOT_EXIST)
                .override(Reason.IN_USE, FeishuErrors.CONTACT_PARAM)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.CONTACT_PARAM).handle(c -> {
                    String id = resolve(c, c.path("department_id"), FeishuErrors.DEPT_NOT_EXIST);
                    if (id == null) throw refusal(FeishuErrors.CONTACT_PARAM, "department_id", "the root department cannot be deleted");
                    departments.delete(c.caller(), id);
                    return null;
                });
    }

    private Object create(FeishuCall c) {
        c.userIdKind();
        DepartmentBody body = c.body(DepartmentBody.class);
        if (body.name() == null || body.name().isBlank()) throw refusal(FeishuErrors.DEPT_NAME_NULL, "name", "name is required");
        if (body.parentDepartmentId() == null || body.parentDepartmentId().isEmpty()) {
            throw refusal(FeishuErrors.MISSING_PARENT, "parent_department_id", "parent_department_id is required (\"0\" for the root)");
        }
        String id = body.departmentId();
        if (id != null && (id.equals(ROOT) || id.startsWith("od-"))) {
            throw refusal(FeishuErrors.DEPT_ID_INVALID, "department_id", "a custom department_id may not be \"0\" or start with \"od-\"");
        }
        String parent = resolve(c, body.parentDepartmentId(), FeishuErrors.NO_PARENT_DEPT_AUTHORITY, "parent_department_id");
        String openId = "od-" + HexFormat.of().formatHex(randomBytes(16));
        if (id == null || id.isEmpty()) id = HexFormat.of().formatHex(randomBytes(8));
        Department created = departments.create(c.caller(), id, openId, body.name(), parent);
        return Map.of("department", view(c, created, tree(c.tenantKey())));
    }

    private Object get(FeishuCall c) {
        c.userIdKind();
        String asked = c.path("department_id");
        if (asked.equals(ROOT)) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("name", tenants.find(c.tenantKey()).map(t -> t.name()).orElse(""));
            root.put("department_id", ROOT);
            root.put("open_department_id", ROOT);
            root.put("status", Map.of("is_deleted", false));
            return Map.of("department", root);
        }
        String id = resolve(c, asked, FeishuErrors.DEPT_NOT_EXIST);
        return Map.of("department", view(c, departments.get(c.tenantKey(), id), tree(c.tenantKey())));
    }

    /** The departments below, in department_id order (fetch_child=true: every level, each followed by its own). */
    private Object children(FeishuCall c) {
        c.userIdKind();
        String parent = resolve(c, c.path("department_id"), FeishuErrors.NO_DEPT_AUTHORITY);
        String fetchChild = c.query("fetch_child");
        if (fetchChild != null && !fetchChild.isEmpty() && !fetchChild.equals("true") && !fetchChild.equals("false")) {
            throw FeishuException.fieldViolation("fetch_child", "fetch_child must be true or false");
        }
        PageRequest page = c.page(10, 50, FeishuErrors.PAGE_SIZE_INVALID, FeishuErrors.PAGE_TOKEN_INVALID);
        Tree tree = tree(c.tenantKey());
        List<Department> all = tree.below(parent, "true".equals(fetchChild));
        int from = page.afterCursor() == null ? 0 : (int) Math.min(Long.parseLong(page.afterCursor()), all.size());
        int to = Math.min(all.size(), from + page.size());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("has_more", to < all.size());
        if (to < all.size()) data.put("page_token", FeishuCall.encodePageToken(Integer.toString(to)));
        data.put("items", all.subList(from, to).stream().map(d -> view(c, d, tree)).toList());
        return data;
    }

    /** A contact v3 department: name, parent_department_id of the asked kind ("0" at the top), both ids, status. */
    private static Map<String, Object> view(FeishuCall c, Department d, Tree tree) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("parent_department_id", tree.idOfKind(d.parentDepartmentId(), c.departmentIdKind()));
        m.put("department_id", d.departmentId());
        m.put("open_department_id", d.openDepartmentId());
        m.put("status", Map.of("is_deleted", false));
        return m;
    }

    // ---- ids shared with the user endpoints ----

    Tree tree(String tenantKey) {
        Map<String, Department> byId = new LinkedHashMap<>();
        Map<String, Department> byOpenId = new LinkedHashMap<>();
        for (Department d : departments.list(tenantKey)) {
            byId.put(d.departmentId(), d);
            byOpenId.put(d.openDepartmentId(), d);
        }
        return new Tree(byId, byOpenId);
    }

    /** A department id of the query's department_id_type as the directory's department_id; "0" is null (the root). */
    String resolve(FeishuCall c, String asked, FeishuError notFound) {
        return resolve(c, asked, notFound, "department_id");
    }

    /** As {@link #resolve(FeishuCall, String, FeishuError)}, a refusal naming {@code field}. */
    String resolve(FeishuCall c, String asked, FeishuError notFound, String field) {
        DepartmentIdKind kind = c.departmentIdKind();
        if (asked.equals(ROOT)) return null;
        Department d = tree(c.tenantKey()).find(asked, kind);
        if (d == null) throw refusal(notFound, field, "department " + asked + " not found");
        return d.departmentId();
    }

    /** A user's department_ids of the query's kind as department_ids; "0" (the root) is dropped, at most 50. */
    List<String> toDirectory(FeishuCall c, List<String> ids, String field) {
        DepartmentIdKind kind = c.departmentIdKind();
        if (ids == null) return List.of();
        if (ids.size() > ContactUserApi.MAX_DEPARTMENTS) {
            throw refusal(FeishuErrors.TOO_MANY_DEPARTMENTS, field, "a user may be in at most " + ContactUserApi.MAX_DEPARTMENTS + " departments");
        }
        Tree tree = tree(c.tenantKey());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (ROOT.equals(id)) continue;
            Department d = id == null ? null : tree.find(id, kind);
            if (d == null) throw refusal(FeishuErrors.NO_DEPT_AUTHORITY, field + "[" + i + "]", "department " + id + " not found");
            out.add(d.departmentId());
        }
        return out;
    }

    /** A refusal with Feishu's error, its message and the one field it is about. */
    static FeishuException refusal(FeishuError error, String field, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", message);
        details.put("field_violations", List.of(FeishuException.violation(field, message)));
        return new FeishuException(error, details);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
