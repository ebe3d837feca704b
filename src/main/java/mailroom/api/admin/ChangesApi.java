package mailroom.api.admin;

import io.helidon.http.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.Journal;
import mailroom.directory.tenant.Tenants;
import mailroom.events.ChangeFeed;
import mailroom.events.JournalEntries;

/**
 * The change feed: the journal's entries after a position, oldest first, with long polling; a token scoped to a
 * tenant reads that tenant's entries only, a server-wide token every entry unless it names a tenant.
 */
final class ChangesApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /**
     * How close to the server's idle timeout a long poll may end and still keep its connection: Helidon counts a
     * connection idle from the start of its request, to the second, and closes it after the answer once past the
     * timeout; such an answer says {@code Connection: close}, so that a client does not send on a closing connection.
     */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(2);
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}");

    private final ChangeFeed feed;
    private final Tenants tenants;

    ChangesApi(ChangeFeed feed, Tenants tenants) {
        this.feed = feed;
        this.tenants = tenants;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/changes", Access.READ, Scope.ANY, this::changes);
    }

    private Reply changes(AdminCall call) {
        long started = System.nanoTime();
        Long after = number(call, "after", 0, Long.MAX_VALUE, 0, "a sequence number (an integer of 0 or more)");
        Long limit = number(call, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, "an integer from 1 to " + MAX_LIMIT);
        Long wait = number(call, "wait", 0, ChangeFeed.MAX_WAIT_SECONDS, 0, "a number of seconds from 0 to " + ChangeFeed.MAX_WAIT_SECONDS);
        Optional<String> named = call.query("tenant");
        if (named.isPresent() && (named.get().isEmpty() || named.get().indexOf('\0') >= 0)) call.error("tenant", "must be a tenant's key");
        call.requireValid();
        String scope = call.token().tenantKey();
        String tenant = named.orElse(scope);
        // Another tenant than the token's is answered as a tenant that does not exist: a scoped token learns nothing.
        if (tenant != null && (!call.token().sees(tenant) || tenants.find(tenant).isEmpty())) {
            throw AdminException.notFound("tenant not found");
        }
        Journal.Slice slice = feed.poll(after, limit.intValue(), tenant, Duration.ofSeconds(wait));
        Duration idle = call.exchange().request().listenerContext().config().idleConnectionTimeout();
        if (Duration.ofNanos(System.nanoTime() - started).compareTo(idle.minus(IDLE_MARGIN)) >= 0) {
            call.exchange().header("Connection", "close");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", slice.items().stream().map(JournalEntries::view).toList());
        body.put("next_after", slice.nextAfter());
        return Reply.ok(body);
    }

    /** A whole number of the query in [min, max], the default when absent; null (and an error noted) when wrong. */
    private static Long number(AdminCall call, String name, long min, long max, long absent, String what) {
        Optional<String> raw = call.query(name);
        if (raw.isEmpty()) return absent;
        if (COUNT.matcher(raw.get()).matches()) {
            long n = Long.parseLong(raw.get());
            if (n >= min && n <= max) return n;
        }
        call.error(name, "must be " + what);
        return null;
    }
}
