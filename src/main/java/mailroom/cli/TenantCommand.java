package mailroom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom tenant list|show|create|delete}: the tenants of the server. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "List, show, create and delete tenants.",
        subcommands = {TenantCommand.ListTenants.class, TenantCommand.Show.class, TenantCommand.Create.class, TenantCommand.Delete.class})
public final class TenantCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code tenant list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants: key, name, domains.")
    static final class ListTenants extends OnlineCommand {
        @Option(names = "--limit", description = "One page of this many (default: every tenant).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, "/tenants", limit, cursor, "key", "name", "domains");
            return 0;
        }
    }

    /** {@code tenant show KEY}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one tenant with its domains, limits and usage.")
    static final class Show extends OnlineCommand {
        @Parameters(paramLabel = "KEY", description = "The tenant's key.")
        String key;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.get(tenantPath(key)));
            return 0;
        }
    }

    /** {@code tenant create KEY --domain D ...}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant with its domains.")
    static final class Create extends OnlineCommand {
        @Parameters(paramLabel = "KEY", description = "The tenant's key (its tenant_key).")
        String key;

        @Option(names = "--name", description = "Its name (default: none).")
        String name;

        @Option(names = "--domain", required = true, split = ",", paramLabel = "DOMAIN",
                description = "A domain of the tenant; repeat the option or separate by commas.")
        List<String> domains = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "NAME=N",
                description = "A limit other than the default, e.g. mail_groups=100 (repeatable).")
        Map<String, Integer> limits = new LinkedHashMap<>();

        @Option(names = "--geo", split = ",", paramLabel = "GEO",
                description = "Turns multi-geo on with these allowed geos, the first the default (e.g. cn,sg,us).")
        List<String> geos = new ArrayList<>();

        @Option(names = "--hybridbox-account-id", paramLabel = "UUID", description = "Its Hybridbox account id.")
        String accountId;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", key);
            if (name != null) body.put("name", name);
            body.put("domains", domains);
            if (!geos.isEmpty()) body.put("geo", Map.of("multi_geo", true, "allowed", geos, "default", geos.get(0)));
            if (!limits.isEmpty()) body.put("limits", limits);
            if (accountId != null) body.put("hybridbox_account_id", accountId);
            out.object(client.post("/tenants", body));
            return 0;
        }
    }

    /** {@code tenant delete KEY [--force]}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a tenant: refused while it has users, mailboxes or groups, unless --force.")
    static final class Delete extends OnlineCommand {
        @Parameters(paramLabel = "KEY", description = "The tenant's key.")
        String key;

        @Option(names = "--force", description = "Remove everything of the tenant with it, in one transaction.")
        boolean force;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(tenantPath(key) + (force ? "?force=true" : ""));
            done(out, "deleted tenant " + key);
            return 0;
        }
    }
}
