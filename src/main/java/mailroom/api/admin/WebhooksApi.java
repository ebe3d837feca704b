package mailroom.api.admin;

import io.helidon.http.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.Page;
import mailroom.directory.webhook.Webhook;
import mailroom.directory.webhook.WebhookDelivery;
import mailroom.directory.webhook.Webhooks;

/**
 * A tenant's webhooks: list, create (the signing secret answered once), show, change (url, events, enabled,
 * description), delete, rotate the secret (the new one answered once); their deliveries, newest first, and
 * redelivery of one.
 */
final class WebhooksApi {
    private static final String BASE = "/tenants/{key}/webhooks";

    private final Webhooks webhooks;

    WebhooksApi(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, BASE, Access.READ, Scope.TENANT,
                call -> Reply.ok(call.page(webhooks.list(call.path("key")), Webhook::id, w -> view((Webhook) w))));
        router.route(Method.POST, BASE, Access.WRITE, Scope.TENANT, this::create);
        router.route(Method.GET, BASE + "/{id}", Access.READ, Scope.TENANT,
                call -> Reply.ok(view(webhooks.get(call.path("key"), call.path("id")))));
        router.route(Method.PATCH, BASE + "/{id}", Access.WRITE, Scope.TENANT, this::update);
        router.route(Method.DELETE, BASE + "/{id}", Access.WRITE, Scope.TENANT, call -> {
            webhooks.delete(call.caller(call.path("key")), call.path("id"));
            return Reply.noContent();
        });
        router.route(Method.POST, BASE + "/{id}/rotate-secret", Access.WRITE, Scope.TENANT,
                call -> Reply.ok(withSecret(webhooks.rotateSecret(call.caller(call.path("key")), call.path("id")))));
        router.route(Method.GET, BASE + "/{id}/deliveries", Access.READ, Scope.TENANT, this::deliveries);
        router.route(Method.POST, BASE + "/{id}/deliveries/{delivery_id}/redeliver", Access.WRITE, Scope.TENANT,
                call -> Reply.ok(delivery(webhooks.redeliver(call.caller(call.path("key")), call.path("id"),
                        call.path("delivery_id")))));
    }

    private Reply create(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("url", "events", "description");
        String url = call.string("url", true);
        List<String> events = call.strings("events", true);
        String description = call.string("description", false);
        call.requireValid();
        Webhooks.Issued issued = webhooks.create(call.caller(key), url, events, description);
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key + "/webhooks/" + issued.webhook().id(), withSecret(issued));
    }

    /** JSON merge patch of url, events, enabled and description; absent fields stay as they are. */
    private Reply update(AdminCall call) {
        String key = call.path("key");
        call.onlyFields("url", "events", "enabled", "description");
        for (String field : List.of("url", "events", "enabled")) {
            if (call.body().has(field) && call.body().get(field).isNull()) call.error(field, "may not be removed");
        }
        String url = call.string("url", false);
        List<String> events = call.strings("events", false);
        Boolean enabled = call.bool(call.body(), "enabled", "enabled");
        String description = call.string("description", false);
        call.requireValid();
        Webhook after = webhooks.update(call.caller(key), call.path("id"), new Webhooks.Patch(url, events, enabled, description));
        return Reply.ok(view(after));
    }

    private Reply deliveries(AdminCall call) {
        String raw = call.cursor();
        Long before = null;
        if (raw != null) {
            try {
                before = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw AdminException.invalid("cursor", "is not a cursor this server gave");
            }
        }
        Page<WebhookDelivery> page = webhooks.deliveries(call.path("key"), call.path("id"), before, call.limit());
        List<Object> items = new ArrayList<>();
        page.items().forEach(d -> items.add(delivery(d)));
        return Reply.ok(new AdminViews.Listing(items, page.nextCursor() == null ? null : AdminCall.cursorOf(page.nextCursor())));
    }

    /** The webhook as the journal shows it, and how its deliveries fare. */
    static Map<String, Object> view(Webhook w) {
        Map<String, Object> out = new LinkedHashMap<>(Webhooks.state(w));
        out.put("failing_since", w.failingSince() == null ? null : AdminViews.time(w.failingSince()));
        out.put("cursor_seq", w.cursorSeq());
        out.put("created_at", AdminViews.time(w.createdAt()));
        out.put("updated_at", AdminViews.time(w.updatedAt()));
        return out;
    }

    private static Map<String, Object> withSecret(Webhooks.Issued issued) {
        Map<String, Object> body = view(issued.webhook());
        body.put("secret", issued.secret());
        return body;
    }

    static Map<String, Object> delivery(WebhookDelivery d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("event_id", d.eventId());
        out.put("event_type", d.eventType());
        out.put("seq", d.seq());
        out.put("status", d.status().name().toLowerCase(java.util.Locale.ROOT));
        out.put("attempts", d.attempts());
        out.put("last_status_code", d.lastStatusCode());
        out.put("last_error", d.lastError());
        out.put("last_attempt_at", d.lastAttemptAt() == null ? null : AdminViews.time(d.lastAttemptAt()));
        out.put("next_attempt_at", d.nextAttemptAt() == null ? null : AdminViews.time(d.nextAttemptAt()));
        return out;
    }
}
