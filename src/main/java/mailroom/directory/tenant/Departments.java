package mailroom.directory.tenant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberType;

/**
 * A tenant's departments, a tree: created, renamed, moved below another (never below itself or one of its own),
 * deleted once no user and no department is in it. The seed provisions its departments by the same rules.
 */
public final class Departments {
    /** Department ids and open department ids: what a URL path segment carries without quoting. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    public static final int MAX_NAME_LENGTH = 255;

    private final DirectoryStore store;
    private final Clock clock;

    public Departments(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What may change of a department; a null field stays as it is. {@code parent} null keeps the parent,
     * empty moves the department to the top level.
     */
    public record DepartmentChange(String name, String openDepartmentId, Optional<String> parent) {}

    /** The tenant's departments, in department_id order. */
    public List<Department> list(String tenantKey) {
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            // Sorted here, not by the database's collation: the operator door's cursor continues in Java's order.
            return r.tenants().departments(tenantKey).stream().sorted(Comparator.comparing(Department::departmentId)).toList();
        });
    }

    public Department get(String tenantKey, String departmentId) {
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            return require(r, tenantKey, departmentId);
        });
    }

    /** Creates a department of the caller's tenant; a null open department id is the department id. */
    public Department create(Caller caller, String departmentId, String openDepartmentId, String name, String parent) {
        String tenantKey = caller.tenantKey();
        Department wanted = valid(tenantKey, departmentId, openDepartmentId, name, parent);
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            if (r.tenants().department(tenantKey, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, wanted.departmentId())).isPresent()) {
                throw new DirectoryException(Reason.DEPARTMENT_TAKEN, "department " + wanted.departmentId() + " already exists",
                        "department_id");
            }
            requireOpenIdFree(r, wanted);
            requireParent(r, wanted, "parent");
            r.tenants().upsertDepartment(wanted);
            Journal.created(r, caller, now, ObjectKind.DEPARTMENT, wanted.departmentId(), States.department(wanted));
            return wanted;
        });
    }

    /** Renames, re-identifies or moves a department; a move below itself or below one of its own is refused. */
    public Department update(Caller caller, String departmentId, DepartmentChange change) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            Department before = require(r, tenantKey, departmentId);
            Department after = valid(tenantKey, before.departmentId(),
                    change.openDepartmentId() != null ? change.openDepartmentId() : before.openDepartmentId(),
                    change.name() != null ? change.name() : before.name(),
                    change.parent() != null ? change.parent().orElse(null) : before.parentDepartmentId());
            if (after.equals(before)) return before;
            requireOpenIdFree(r, after);
            requireParent(r, after, "parent");
            r.tenants().upsertDepartment(after);
            Journal.updated(r, caller, now, ObjectKind.DEPARTMENT, after.departmentId(), States.department(before),
                    States.department(after));
            return after;
        });
    }

    /**
     * Deletes a department in which no user is and below which no department is (409 otherwise, counting them).
     * Mail group members and permission members naming it go with it, journalled.
     */
    public void delete(Caller caller, String departmentId) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            Department department = require(r, tenantKey, departmentId);
            long users = r.tenants().countUsersInDepartment(tenantKey, department.departmentId());
            long below = r.tenants().departments(tenantKey).stream()
                    .filter(d -> department.departmentId().equals(d.parentDepartmentId())).count();
            if (users > 0 || below > 0) {
                List<String> parts = new ArrayList<>();
                if (users > 0) parts.add(users + (users == 1 ? " user" : " users"));
                if (below > 0) parts.add(below + (below == 1 ? " sub-department" : " sub-departments"));
                throw new DirectoryException(Reason.IN_USE, "department " + department.departmentId() + " still has "
                        + String.join(" and ", parts) + "; move or delete them first");
            }
            MailGroups.journalRemoved(r, caller, now,
                    r.mailGroups().deleteMembersReferring(tenantKey, MemberType.DEPARTMENT, department.departmentId()));
            r.tenants().deleteDepartment(tenantKey, department.departmentId());
            Journal.deleted(r, caller, now, ObjectKind.DEPARTMENT, department.departmentId(), States.department(department));
            return null;
        });
    }

    /**
     * Creates or brings up to date the seed's departments in this transaction, then checks the whole tree: each
     * parent exists (in the seed or stored) and no department is below itself. {@code field} names the seed's list.
     */
    static void provision(Records r, Caller caller, String tenantKey, List<Department> departments, long now, String field) {
        List<Department> wanted = new ArrayList<>();
        for (int i = 0; i < departments.size(); i++) {
            Department d = departments.get(i);
            String at = field + "[" + i + "]";
            try {
                wanted.add(valid(tenantKey, d.departmentId(), d.openDepartmentId(), d.name(), d.parentDepartmentId()));
            } catch (DirectoryException e) {
                throw new DirectoryException(e.reason(), e.getMessage(), at + "." + e.field());
            }
        }
        for (int i = 0; i < wanted.size(); i++) {
            Department d = wanted.get(i);
            Department before = r.tenants().department(tenantKey, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, d.departmentId()))
                    .orElse(null);
            if (d.equals(before)) continue;
            try {
                requireOpenIdFree(r, d);
            } catch (DirectoryException e) {
                throw new DirectoryException(e.reason(), e.getMessage(), field + "[" + i + "]." + e.field());
            }
            r.tenants().upsertDepartment(d);
            if (before == null) {
                Journal.created(r, caller, now, ObjectKind.DEPARTMENT, d.departmentId(), States.department(d));
            } else {
                Journal.updated(r, caller, now, ObjectKind.DEPARTMENT, d.departmentId(), States.department(before),
                        States.department(d));
            }
        }
        for (int i = 0; i < wanted.size(); i++) requireParent(r, wanted.get(i), field + "[" + i + "].parent");
    }

    private static Department require(Records r, String tenantKey, String departmentId) {
        return (departmentId == null ? Optional.<Department>empty()
                : r.tenants().department(tenantKey, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, departmentId)))
                .orElseThrow(() -> new DirectoryException(Reason.DEPARTMENT_NOT_FOUND, "department " + departmentId + " not found"));
    }

    /** The department as asked for, each field checked; a null or blank open department id is the department id. */
    static Department valid(String tenantKey, String departmentId, String openDepartmentId, String name, String parent) {
        requireId(departmentId, "department_id");
        String open = openDepartmentId == null || openDepartmentId.isBlank() ? departmentId : requireId(openDepartmentId, "open_department_id");
        if (name == null || name.isBlank() || Text.length(name) > MAX_NAME_LENGTH) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "a department name must be 1-" + MAX_NAME_LENGTH + " characters", "name");
        }
        if (parent != null) requireId(parent, "parent");
        if (departmentId.equals(parent)) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "a department cannot be its own parent", "parent");
        }
        return new Department(tenantKey, departmentId, open, name, parent);
    }

    private static String requireId(String id, String field) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    "a department id must be 1-64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit", field);
        }
        return id;
    }

    private static void requireOpenIdFree(Records r, Department d) {
        r.tenants().department(d.tenantKey(), new DepartmentRef(DepartmentIdKind.OPEN_DEPARTMENT_ID, d.openDepartmentId()))
                .filter(other -> !other.departmentId().equals(d.departmentId()))
                .ifPresent(other -> {
                    throw new DirectoryException(Reason.DEPARTMENT_TAKEN, "open department id " + d.openDepartmentId()
                            + " belongs to department " + other.departmentId(), "open_department_id");
                });
    }

    /**
     * The department's parent exists and the department is not above it: walking up from the parent never
     * meets the department itself. Read after the department is written, so the tree checked is the new one.
     */
    private static void requireParent(Records r, Department d, String field) {
        if (d.parentDepartmentId() == null) return;
        Map<String, String> parents = new HashMap<>();
        for (Department each : r.tenants().departments(d.tenantKey())) parents.put(each.departmentId(), each.parentDepartmentId());
        parents.put(d.departmentId(), d.parentDepartmentId());
        if (!parents.containsKey(d.parentDepartmentId())) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "parent department " + d.parentDepartmentId() + " does not exist", field);
        }
        Set<String> seen = new HashSet<>();
        for (String at = d.parentDepartmentId(); at != null; at = parents.get(at)) {
            if (at.equals(d.departmentId()) || !seen.add(at)) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "department " + d.departmentId() + " cannot be below "
                        + d.parentDepartmentId() + ": " + d.parentDepartmentId() + " is below " + d.departmentId(), field);
            }
        }
    }
}
