package mailroom.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom department add|list|remove}: a tenant's departments. */
@Command(name = "department", mixinStandardHelpOptions = true, description = "Add, list and remove a tenant's departments.",
        subcommands = {DepartmentCommand.Add.class, DepartmentCommand.ListDepartments.class, DepartmentCommand.Remove.class})
public final class DepartmentCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code department add --tenant KEY DEPARTMENT_ID --name N [--parent P] [--open-department-id OD]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a department.")
    static final class Add extends TenantScoped {
        @Parameters(paramLabel = "DEPARTMENT_ID", description = "Its department_id.")
        String departmentId;

        @Option(names = "--name", required = true, description = "Its name.")
        String name;

        @Option(names = "--parent", paramLabel = "DEPARTMENT_ID", description = "The department it belongs to (default: none, a top one).")
        String parent;

        @Option(names = "--open-department-id", paramLabel = "ID", description = "Its open_department_id (default: generated).")
        String openDepartmentId;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("department_id", departmentId);
            if (openDepartmentId != null) body.put("open_department_id", openDepartmentId);
            body.put("name", name);
            if (parent != null) body.put("parent", parent);
            out.object(client.post(path("departments"), body));
            return 0;
        }
    }

    /** {@code department list --tenant KEY}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's departments.")
    static final class ListDepartments extends TenantScoped {
        @Option(names = "--limit", description = "One page of this many (default: every department).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("departments"), limit, cursor, "department_id", "open_department_id", "name", "parent");
            return 0;
        }
    }

    /** {@code department remove --tenant KEY DEPARTMENT_ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a department (refused while it has users or sub-departments).")
    static final class Remove extends TenantScoped {
        @Parameters(paramLabel = "DEPARTMENT_ID", description = "Its department_id.")
        String departmentId;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("departments", AdminClient.segment(departmentId)));
            done(out, "removed department " + departmentId + " from tenant " + tenant);
            return 0;
        }
    }
}
