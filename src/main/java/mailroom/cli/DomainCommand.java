package mailroom.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom domain add|list|remove}: a tenant's mail domains. */
@Command(name = "domain", mixinStandardHelpOptions = true, description = "Add, list and remove a tenant's domains.",
        subcommands = {DomainCommand.Add.class, DomainCommand.ListDomains.class, DomainCommand.Remove.class})
public final class DomainCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code domain add --tenant KEY DOMAIN}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a domain (a domain belongs to one tenant).")
    static final class Add extends TenantScoped {
        @Parameters(paramLabel = "DOMAIN", description = "The domain, e.g. mail.acme.test.")
        String domain;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.post(path("domains"), Map.of("domain", domain)));
            return 0;
        }
    }

    /** {@code domain list --tenant KEY}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's domains.")
    static final class ListDomains extends TenantScoped {
        @Option(names = "--limit", description = "One page of this many (default: every domain).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("domains"), limit, cursor, "domain", "created_at");
            return 0;
        }
    }

    /** {@code domain remove --tenant KEY DOMAIN}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a domain (refused while an address uses it).")
    static final class Remove extends TenantScoped {
        @Parameters(paramLabel = "DOMAIN", description = "The domain.")
        String domain;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("domains", AdminClient.segment(domain)));
            done(out, "removed domain " + domain + " from tenant " + tenant);
            return 0;
        }
    }
}
