package mailroom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.access.App;
import mailroom.directory.access.ServiceAccounts;
import mailroom.http.Json;
import mailroom.http.Pipeline;

/**
 * Sandbox mode ({@code mailroom serve --sandbox}, docs/sandbox.md): the controllable clock, the request journal
 * and the faults, and the {@link Pipeline.Tap} that puts the last two on every request of the Feishu and
 * Hybridbox doors. Everything here is in this node's memory (docs/adr/0022).
 */
public final class Sandbox implements Pipeline.Tap {
    /** The doors whose requests are journalled and may be faulted, as faults and the journal name them. */
    public static final List<String> DOORS = List.of("feishu", "hybridbox");

    private final SandboxClock clock;
    private final RequestJournal journal = new RequestJournal();
    private final Faults faults = new Faults();

    public Sandbox(SandboxClock clock) {
        this.clock = clock;
    }

    public SandboxClock clock() {
        return clock;
    }

    public RequestJournal journal() {
        return journal;
    }

    public Faults faults() {
        return faults;
    }

    /** The routing filter that makes this tap visible to every door's pipeline. */
    public Filter filter() {
        return (chain, req, res) -> {
            req.context().register(Pipeline.Tap.class, this);
            chain.proceed();
        };
    }

    /** The pipeline's door label as faults and the journal name it; null for doors neither covers. */
    static String door(String pipelineDoor) {
        return switch (pipelineDoor) {
            case "feishu", "auth" -> "feishu";
            case "hybridbox" -> "hybridbox";
            default -> null;
        };
    }

    @Override
    public Pipeline.Fault fault(String pipelineDoor, Pipeline.Exchange exchange, Object principal) {
        String door = door(pipelineDoor);
        if (door == null) return null;
        return faults.match(door, exchange.route(), appId(exchange, principal));
    }

    @Override
    public void record(String pipelineDoor, Pipeline.Exchange exchange, Object principal, Pipeline.Answer answer,
                       Map<String, String> responseHeaders, long tookNanos) {
        String door = door(pipelineDoor);
        if (door == null) return;
        ServerRequest req = exchange.request();
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.put(h.name(), String.join(", ", h.allValues())));
        Map<String, Object> query = new LinkedHashMap<>();
        for (String name : req.query().names()) {
            List<String> values = req.query().all(name);
            query.put(name, values.size() == 1 ? values.get(0) : values);
        }
        journal.add(new RequestJournal.Entry(journal.nextSeq(), Instant.ofEpochMilli(clock.millis()), door,
                req.prologue().method().text(), req.path().rawPath(), query, RequestJournal.headers(headers),
                RequestJournal.body(exchange.body()), answer == null ? null : answer.status(),
                answer == null ? null : RequestJournal.headers(responseHeaders),
                answer == null ? null : RequestJournal.body(answer.body()), exchange.id(), tookNanos / 1_000_000,
                appId(exchange, principal)));
    }

    /** The app a request is of: the Feishu app, the Hybridbox service account, or the app id a token request names. */
    static String appId(Pipeline.Exchange exchange, Object principal) {
        if (principal instanceof App app) return app.appId();
        if (principal instanceof ServiceAccounts.Principal account) return account.serviceAccountId();
        byte[] body = exchange.body();
        if (body.length == 0 || body.length > RequestJournal.BODY_LIMIT) return null;
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            JsonNode appId = tree == null ? null : tree.get("app_id");
            return appId != null && appId.isTextual() ? appId.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
