package mailroom.api.admin;

import io.helidon.http.Method;
import java.util.Optional;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Departments;
import mailroom.directory.tenant.Departments.DepartmentChange;

/** A tenant's departments: list, create, show, change by JSON merge patch (a move may not make a cycle), delete. */
final class DepartmentsApi {
    private static final String BASE = "/tenants/{key}/departments";

    private final Departments departments;

    DepartmentsApi(Departments departments) {
        this.departments = departments;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, BASE, Access.READ, Scope.TENANT, call -> Reply.ok(call.page(departments.list(call.path("key")),
                Department::departmentId, AdminViews::department)));
        router.route(Method.POST, BASE, Access.WRITE, Scope.TENANT, this::create);
        router.route(Method.GET, BASE + "/{department_id}", Access.READ, Scope.TENANT,
                call -> Reply.ok(AdminViews.department(departments.get(call.path("key"), call.path("department_id")))));
        router.route(Method.PATCH, BASE + "/{department_id}", Access.WRITE, Scope.TENANT, this::update);
        router.route(Method.DELETE, BASE + "/{department_id}", Access.WRITE, Scope.TENANT, call -> {
            departments.delete(call.caller(call.path("key")), call.path("department_id"));
            return Reply.noContent();
        });
    }

    private Reply create(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("department_id", "open_department_id", "name", "parent");
        String id = call.string("department_id", true);
        String openId = call.string("open_department_id", false);
        String name = call.string("name", true);
        String parent = call.string("parent", false);
        call.requireValid();
        Department created = departments.create(call.caller(key), id, openId, name, parent);
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/departments/" + created.departmentId(),
                AdminViews.department(created));
    }

    /** JSON merge patch: a member given replaces; {@code "parent": null} moves the department to the top level. */
    private Reply update(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("open_department_id", "name", "parent");
        String name = call.string("name", false);
        String openId = call.string("open_department_id", false);
        for (String field : new String[]{"name", "open_department_id"}) {
            if (call.body().has(field) && call.body().get(field).isNull()) call.error(field, "may not be removed");
        }
        Optional<String> parent = null;
        if (call.body().has("parent")) parent = Optional.ofNullable(call.string("parent", false));
        call.requireValid();
        return Reply.ok(AdminViews.department(departments.update(call.caller(key), call.path("department_id"),
                new DepartmentChange(name, openId, parent))));
    }
}
