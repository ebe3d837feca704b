package mailroom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom service-account create|list|delete}: a tenant's Hybridbox service accounts. */
@Command(name = "service-account", mixinStandardHelpOptions = true, description = "Create, list and delete a tenant's Hybridbox service accounts.",
        subcommands = {ServiceAccountCommand.Create.class, ServiceAccountCommand.ListAccounts.class, ServiceAccountCommand.Delete.class})
public final class ServiceAccountCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code service-account create --tenant KEY --name N --permission P ... [--expires-at T]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a service account; its token is printed this once only.")
    static final class Create extends TenantScoped {
        @Option(names = "--name", required = true, description = "Its name, unique in the tenant.")
        String name;

        @Option(names = "--permission", split = ",", paramLabel = "PERMISSION",
                description = "A permission, e.g. mailbox.view; repeat the option or separate by commas.")
        List<String> permissions = new ArrayList<>();

        @Option(names = "--expires-at", paramLabel = "TIME", description = "When its token stops working (RFC 3339; default: never).")
        String expiresAt;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("permissions", permissions);
            if (expiresAt != null) body.put("expires_at", expiresAt);
            out.object(client.post(path("service-accounts"), body));
            return 0;
        }
    }

    /** {@code service-account list --tenant KEY}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's service accounts (never their token).")
    static final class ListAccounts extends TenantScoped {
        @Option(names = "--include-revoked", description = "Also the deleted (revoked) accounts.")
        boolean includeRevoked;

        @Option(names = "--limit", description = "One page of this many (default: every account).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("service-accounts") + (includeRevoked ? "?include_revoked=true" : ""), limit, cursor,
                    "id", "name", "permissions", "expires_at", "revoked_at");
            return 0;
        }
    }

    /** {@code service-account delete --tenant KEY ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a service account: its token stops working.")
    static final class Delete extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The account's id (from service-account list).")
        String id;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("service-accounts", AdminClient.segment(id)));
            done(out, "deleted service account " + id + " of tenant " + tenant);
            return 0;
        }
    }
}
