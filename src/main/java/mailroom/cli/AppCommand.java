package mailroom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom app create|list|rotate-secret|delete}: a tenant's Feishu custom apps. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Create, list, rotate the secret of and delete a tenant's Feishu apps.",
        subcommands = {AppCommand.Create.class, AppCommand.ListApps.class, AppCommand.RotateSecret.class, AppCommand.Delete.class})
public final class AppCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code app create --tenant KEY [--app-id ID] --scope S ...}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an app; its app_secret is printed this once only.")
    static final class Create extends TenantScoped {
        @Option(names = "--app-id", paramLabel = "APP_ID", description = "Its app_id (default: generated).")
        String appId;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE",
                description = "A scope it is granted, e.g. mail:user_mailbox; repeat the option or separate by commas.")
        List<String> scopes = new ArrayList<>();

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (appId != null) body.put("app_id", appId);
            body.put("scopes", scopes);
            out.object(client.post(path("apps"), body));
            return 0;
        }
    }

    /** {@code app list --tenant KEY}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's apps (never their secret).")
    static final class ListApps extends TenantScoped {
        @Option(names = "--limit", description = "One page of this many (default: every app).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("apps"), limit, cursor, "app_id", "scopes");
            return 0;
        }
    }

    /** {@code app rotate-secret --tenant KEY APP_ID}. */
    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Give an app a new secret, printed this once only; tokens issued before stay valid for their lifetime.")
    static final class RotateSecret extends TenantScoped {
        @Parameters(paramLabel = "APP_ID", description = "The app's app_id.")
        String appId;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.post(path("apps", AdminClient.segment(appId), "rotate-secret"), Map.of()));
            return 0;
        }
    }

    /** {@code app delete --tenant KEY APP_ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an app.")
    static final class Delete extends TenantScoped {
        @Parameters(paramLabel = "APP_ID", description = "The app's app_id.")
        String appId;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("apps", AdminClient.segment(appId)));
            done(out, "deleted app " + appId + " of tenant " + tenant);
            return 0;
        }
    }
}
