package mailroom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom webhook create|list|show|update|rotate-secret|delete|deliveries|redeliver}: a tenant's webhooks. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Create, list, change, rotate the secret of and delete a tenant's webhooks; list and redeliver their deliveries.",
        subcommands = {WebhookCommand.Create.class, WebhookCommand.ListWebhooks.class, WebhookCommand.Show.class,
            WebhookCommand.Update.class, WebhookCommand.RotateSecret.class, WebhookCommand.Delete.class,
            WebhookCommand.Deliveries.class, WebhookCommand.Redeliver.class})
public final class WebhookCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code webhook create --tenant KEY --target-url URL --event TYPE ... [--description TEXT]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a webhook; its signing secret is printed this once only.")
    static final class Create extends TenantScoped {
        @Option(names = "--target-url", required = true, paramLabel = "URL",
                description = "Where deliveries are POSTed (http or https); --url is the server's.")
        String url;

        @Option(names = "--event", required = true, split = ",", paramLabel = "TYPE",
                description = "An event type or pattern, e.g. mail_group.created, mail_group.*, *.deleted, *; repeat or separate by commas.")
        List<String> events = new ArrayList<>();

        @Option(names = "--description", description = "What it is for.")
        String description;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            body.put("events", events);
            if (description != null) body.put("description", description);
            out.object(client.post(path("webhooks"), body));
            return 0;
        }
    }

    /** {@code webhook list --tenant KEY}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's webhooks (never their secret).")
    static final class ListWebhooks extends TenantScoped {
        @Option(names = "--limit", description = "One page of this many (default: every webhook).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("webhooks"), limit, cursor, "id", "url", "events", "enabled", "disabled_reason");
            return 0;
        }
    }

    /** {@code webhook show --tenant KEY ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a webhook: where, what, and how its deliveries fare.")
    static final class Show extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.get(path("webhooks", AdminClient.segment(id))));
            return 0;
        }
    }

    /** {@code webhook update --tenant KEY ID [--target-url] [--event ...] [--enable|--disable] [--description]}. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a webhook; --enable resumes deliveries from where they stopped.")
    static final class Update extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Option(names = "--target-url", paramLabel = "URL", description = "A new URL to deliver to.")
        String url;

        @Option(names = "--event", split = ",", paramLabel = "TYPE", description = "The new event types (replace the old).")
        List<String> events;

        @Option(names = "--description", description = "A new description.")
        String description;

        @ArgGroup(exclusive = true)
        Switch enabled;

        /** Exactly one of --enable and --disable, or neither. */
        static final class Switch {
            @Option(names = "--enable", required = true, description = "Deliver again.")
            boolean enable;

            @Option(names = "--disable", required = true, description = "Stop delivering (entries wait, nothing is lost).")
            boolean disable;
        }

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (url != null) body.put("url", url);
            if (events != null) body.put("events", events);
            if (description != null) body.put("description", description);
            if (enabled != null) body.put("enabled", enabled.enable);
            out.object(client.patch(path("webhooks", AdminClient.segment(id)), body));
            return 0;
        }
    }

    /** {@code webhook rotate-secret --tenant KEY ID}. */
    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Give a webhook a new signing secret, printed this once only; the old one signs beside it for 24 hours.")
    static final class RotateSecret extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.post(path("webhooks", AdminClient.segment(id), "rotate-secret"), Map.of()));
            return 0;
        }
    }

    /** {@code webhook delete --tenant KEY ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a webhook and its deliveries.")
    static final class Delete extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        int run(AdminClient client, Output out) {
            client.delete(path("webhooks", AdminClient.segment(id)));
            done(out, "deleted webhook " + id + " of tenant " + tenant);
            return 0;
        }
    }

    /** {@code webhook deliveries --tenant KEY ID}. */
    @Command(name = "deliveries", mixinStandardHelpOptions = true, description = "List a webhook's deliveries, newest first.")
    static final class Deliveries extends TenantScoped {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Option(names = "--limit", description = "One page of this many (default: every delivery).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, path("webhooks", AdminClient.segment(id), "deliveries"), limit, cursor,
                    "id", "event_type", "status", "attempts", "last_status_code", "last_attempt_at", "next_attempt_at");
            return 0;
        }
    }

    /** {@code webhook redeliver --tenant KEY ID DELIVERY_ID}. */
    @Command(name = "redeliver", mixinStandardHelpOptions = true,
            description = "Attempt a delivery again at once (same webhook-id, a fresh retry schedule).")
    static final class Redeliver extends TenantScoped {
        @Parameters(index = "0", paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Parameters(index = "1", paramLabel = "DELIVERY_ID", description = "The delivery's id.")
        String deliveryId;

        @Override
        int run(AdminClient client, Output out) {
            out.object(client.post(path("webhooks", AdminClient.segment(id), "deliveries", AdminClient.segment(deliveryId),
                    "redeliver"), Map.of()));
            return 0;
        }
    }
}
