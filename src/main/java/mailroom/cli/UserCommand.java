package mailroom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom user add|list|show|remove}: a tenant's users (and with an email, their user mailboxes). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Add, list, show and remove a tenant's users.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Show.class, UserCommand.Remove.class})
public final class UserCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code user add --tenant KEY USER_ID --name N [--email E] [--department D ...]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user; an --email gives the user a user mailbox.")
    static final class Add extends TenantScoped {
        @Parameters(paramLabel = "USER_ID", arity = "0..1", description = "Its user_id (default: generated).")
        String userId;

        @Option(names = "--name", required = true, description = "Its name.")
        String name;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "Its user mailbox's address, in a domain of the tenant.")
        String email;

        @Option(names = "--department", split = ",", paramLabel = "DEPARTMENT_ID",
                description = "A department it belongs to; repeat the option or separate by commas.")
        List<String> departments = new ArrayList<>();

        @Option(names = "--open-id", paramLabel = "ID", description = "Its open_id (default: generated).")
        String openId;

        @Option(names = "--union-id", paramLabel = "ID", description = "Its union_id (default: generated).")
        String unionId;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (userId != null) body.put("user_id", userId);
            if (openId != null) body.put("open_id", openId);
            if (unionId != null) body.put("union_id", unionId);
            body.put("name", name);
            if (email != null) body.put("email", email);
            body.put("departments", departments);
            out.object(client.post(path("users"), body));
            return 0;
        }
    }

    /** {@code user list --tenant KEY [--search TEXT] [--department D]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's users.")
    static final class ListUsers extends TenantScoped {
        @Option(names = "--search", paramLabel = "TEXT", description = "Only users whose user_id, name or email matches.")
        String search;

        @Option(names = "--department", paramLabel = "DEPARTMENT_ID", description = "Only users of this department.")
        String department;

        @Option(names = "--limit", description = "One page of this many (default: every user).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            List<String> query = new ArrayList<>();
            if (search != null) query.add("search=" + AdminClient.segment(search));
            if (department != null) query.add("department=" + AdminClient.segment(department));
            String p = path("users") + (query.isEmpty() ? "" : "?" + String.join("&", query));
            list(client, out, p, limit, cursor, "user_id", "name", "email", "departments");
            return 0;
        }
    }

    /** {@code user show --tenant KEY USER_ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one user.")
    static final class Show extends TenantScoped {
        @Parameters(paramLabel = "USER_ID", description = "Its user_id.")
        String userId;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.get(path("users", AdminClient.segment(userId))));
            return 0;
        }
    }

    /** {@code user remove --tenant KEY USER_ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user; its user mailbox goes to the recycle bin (its address stays reserved).")
    static final class Remove extends TenantScoped {
        @Parameters(paramLabel = "USER_ID", description = "Its user_id.")
        String userId;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("users", AdminClient.segment(userId)));
            done(out, "removed user " + userId + " from tenant " + tenant);
            return 0;
        }
    }
}
