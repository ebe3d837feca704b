package mailroom.directory.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Page;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.Text;
import mailroom.directory.tenant.Tenants;

/**
 * A tenant's webhooks, as an operator manages them: created with a signing secret (shown once), pointed
 * elsewhere, subscribed to other event types, disabled and enabled, given a new secret, deleted; and their
 * deliveries, listed and redelivered. A new webhook receives the entries journalled after it was created.
 */
public final class Webhooks {
    public static final String SECRET_PREFIX = "whsec_";
    public static final int MAX_URL = 2048;
    public static final int MAX_DESCRIPTION = 1024;
    public static final int MAX_EVENTS = 64;
    /** How long the secret before a rotation keeps signing beside the new one. */
    public static final Duration ROTATION_GRACE = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DirectoryStore store;
    private final Clock clock;
    private final WebhookTargets targets;

    public Webhooks(DirectoryStore store, Clock clock, WebhookTargets targets) {
        this.store = store;
        this.clock = clock;
        this.targets = targets;
    }

    /** A webhook and its plaintext secret, which the operator door shows only in this answer. */
    public record Issued(Webhook webhook, String secret) {}

    /** What a change of a webhook sets; null fields stay as they are. */
    public record Patch(String url, List<String> events, Boolean enabled, String description) {}

    public List<Webhook> list(String tenantKey) {
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            return r.webhooks().ofTenant(tenantKey);
        });
    }

    public Webhook get(String tenantKey, String id) {
        return store.read(r -> require(r, tenantKey, id));
    }

    public Issued create(Caller caller, String url, List<String> events, String description) {
        String target = requireUrl(url);
        List<String> subscribed = requireEvents(events);
        Text.requireAtMost("description", description, MAX_DESCRIPTION);
        String secret = newSecret();
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            // Entries already journalled are not this webhook's; the ones after this point are, its own creation included.
            Webhook w = new Webhook("wh_" + Ids.shortId(), tenantKey, target, subscribed, description, true, null, null,
                    secret, null, null, r.journal().lastSeq(), now, now);
            r.webhooks().insert(w);
            Journal.created(r, caller, now, ObjectKind.WEBHOOK, w.id(), state(w));
            return new Issued(w, secret);
        });
    }

    /** Changes the URL, events, description or enabled flag; enabling clears why the server had disabled it. */
    public Webhook update(Caller caller, String id, Patch patch) {
        String target = patch.url() == null ? null : requireUrl(patch.url());
        List<String> subscribed = patch.events() == null ? null : requireEvents(patch.events());
        Text.requireAtMost("description", patch.description(), MAX_DESCRIPTION);
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Webhook before = require(r, tenantKey, id);
            boolean enabled = patch.enabled() == null ? before.enabled() : patch.enabled();
            boolean enabling = enabled && !before.enabled();
            boolean disabling = !enabled && before.enabled();
            String reason = enabling ? null : disabling ? "disabled by an operator" : before.disabledReason();
            Webhook after = new Webhook(before.id(), tenantKey, target == null ? before.url() : target,
                    subscribed == null ? before.events() : subscribed,
                    patch.description() == null ? before.description() : patch.description(), enabled, reason,
                    enabling ? null : before.failingSince(), before.secret(), before.previousSecret(), before.previousUntil(),
                    before.cursorSeq(), before.createdAt(), now);
            if (state(after).equals(state(before))) return before;
            r.webhooks().update(after, enabled != before.enabled());
            if (enabling) r.webhooks().markHealthy(id);
            Journal.updated(r, caller, now, ObjectKind.WEBHOOK, id, state(before), state(after));
            return after;
        });
    }

    /** A new secret; the previous one keeps signing beside it for {@link #ROTATION_GRACE}. */
    public Issued rotateSecret(Caller caller, String id) {
        String secret = newSecret();
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Webhook before = require(r, tenantKey, id);
            Webhook after = new Webhook(before.id(), tenantKey, before.url(), before.events(), before.description(),
                    before.enabled(), before.disabledReason(), before.failingSince(), secret, before.secret(),
                    now + ROTATION_GRACE.toMillis(), before.cursorSeq(), before.createdAt(), now);
            r.webhooks().update(after, false);
            // The secret never shows in a state: journalled as replaced, so that auditors see the rotation.
            Journal.replaced(r, caller, now, ObjectKind.WEBHOOK, id, state(before), state(after));
            return new Issued(after, secret);
        });
    }

    public void delete(Caller caller, String id) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            Webhook before = require(r, tenantKey, id);
            r.webhooks().delete(id);
            Journal.deleted(r, caller, now, ObjectKind.WEBHOOK, id, state(before));
            return null;
        });
    }

    /** The webhook's deliveries, newest first; the cursor is the sequence number the page continues below. */
    public Page<WebhookDelivery> deliveries(String tenantKey, String id, Long beforeSeq, int limit) {
        return store.read(r -> {
            require(r, tenantKey, id);
            List<WebhookDelivery> rows = r.webhooks().deliveries(id, beforeSeq, limit + 1);
            boolean more = rows.size() > limit;
            List<WebhookDelivery> items = more ? rows.subList(0, limit) : rows;
            return new Page<>(List.copyOf(items), more ? Long.toString(items.getLast().seq()) : null);
        });
    }

    /**
     * Queues the delivery again, to be attempted at once with a fresh retry schedule (same id, so a receiver that
     * saw it can tell). A pending delivery is only moved up.
     */
    public WebhookDelivery redeliver(Caller caller, String id, String deliveryId) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            require(r, tenantKey, id);
            WebhookDelivery d = r.webhooks().delivery(id, deliveryId).orElseThrow(() -> new DirectoryException(
                    Reason.WEBHOOK_DELIVERY_NOT_FOUND, "webhook " + id + " has no delivery " + deliveryId));
            WebhookDelivery again = new WebhookDelivery(d.id(), d.webhookId(), d.seq(), d.eventType(),
                    WebhookDelivery.Status.PENDING, 0, d.lastStatusCode(), d.lastError(), d.lastAttemptAt(), now, d.createdAt());
            r.webhooks().updateDelivery(again);
            return again;
        });
    }

    /** The webhook as the journal shows it: never its secrets. */
    public static Map<String, Object> state(Webhook w) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", w.id());
        out.put("url", w.url());
        out.put("events", w.events());
        out.put("description", w.description());
        out.put("enabled", w.enabled());
        out.put("disabled_reason", w.disabledReason());
        return out;
    }

    private static Webhook require(Records r, String tenantKey, String id) {
        Tenants.require(r, tenantKey);
        return r.webhooks().byId(id).filter(w -> w.tenantKey().equals(tenantKey))
                .orElseThrow(() -> new DirectoryException(Reason.WEBHOOK_NOT_FOUND, "no webhook " + id));
    }

    private String requireUrl(String url) {
        if (url == null || url.isBlank()) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " is required");
        Text.requireAtMost("url", url, MAX_URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " must name a host");
        }
        // Credentials in a URL would show in every listing and journal entry; a receiver checks the signature instead.
        if (uri.getRawUserInfo() != null) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " must not have a fragment");
        }
        Optional<String> refused = targets.refusal(uri);
        if (refused.isPresent()) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "url", " " + refused.get());
        return url;
    }

    private static List<String> requireEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "events", " must name at least one event type");
        }
        if (events.size() > MAX_EVENTS) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "events", " must name at most " + MAX_EVENTS + " event types");
        }
        for (int i = 0; i < events.size(); i++) {
            String problem = EventTypes.problem(events.get(i));
            if (problem != null) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "events[" + i + "]", " " + problem);
        }
        return new ArrayList<>(new LinkedHashSet<>(events));
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
