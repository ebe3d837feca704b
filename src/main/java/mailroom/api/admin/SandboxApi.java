package mailroom.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.http.Pipeline;
import mailroom.sandbox.Faults;
import mailroom.sandbox.RequestJournal;
import mailroom.sandbox.Sandbox;
import mailroom.sandbox.SandboxWorlds;

/** The sandbox controls' endpoints (shared/specs/sandbox.md): reset, snapshots, the clock, the request journal and the faults. */
final class SandboxApi {
    static final int DEFAULT_REQUESTS = 100;
    static final int MAX_DELAY_MS = 120_000;
    static final int MAX_NAME = 200;

    private final Sandbox sandbox;
    private final SandboxWorlds worlds;
    private final Map<String, Set<String>> routesByDoor;

    SandboxApi(Sandbox sandbox, SandboxWorlds worlds, Map<String, Set<String>> routesByDoor) {
        this.sandbox = sandbox;
        this.worlds = worlds;
        this.routesByDoor = routesByDoor;
    }

    void register(AdminRouter router) {
        router.route(Method.POST, "/reset", Access.ADMIN, Scope.SERVER, this::reset);
        router.route(Method.POST, "/snapshots", Access.ADMIN, Scope.SERVER, this::snapshot);
        router.route(Method.GET, "/snapshots", Access.ADMIN, Scope.SERVER,
                call -> Reply.ok(Map.of("items", worlds.snapshots().stream().map(SandboxWorlds.Snapshot::view).toList())));
        router.route(Method.GET, "/snapshots/{id}", Access.ADMIN, Scope.SERVER, call -> Reply.ok(snapshotCalled(call).view()));
        router.route(Method.POST, "/snapshots/{id}/restore", Access.ADMIN, Scope.SERVER, this::restore);
        router.route(Method.DELETE, "/snapshots/{id}", Access.ADMIN, Scope.SERVER, call -> {
            if (!worlds.delete(call.path("id"))) throw AdminException.notFound("no snapshot " + call.path("id"));
            return Reply.noContent();
        });
        router.route(Method.POST, "/clock", Access.ADMIN, Scope.SERVER, this::clock);
        router.route(Method.GET, "/requests", Access.ADMIN, Scope.SERVER, this::requests);
        router.route(Method.DELETE, "/requests", Access.ADMIN, Scope.SERVER, call -> {
            sandbox.journal().clear();
            return Reply.noContent();
        });
        router.route(Method.POST, "/faults", Access.ADMIN, Scope.SERVER, this::addFault);
        router.route(Method.GET, "/faults", Access.ADMIN, Scope.SERVER, call -> Reply.ok(Map.of("items", sandbox.faults().views())));
        router.route(Method.DELETE, "/faults", Access.ADMIN, Scope.SERVER, call -> {
            sandbox.faults().clear();
            return Reply.noContent();
        });
        router.route(Method.DELETE, "/faults/{id}", Access.ADMIN, Scope.SERVER, call -> {
            if (!sandbox.faults().remove(call.path("id"))) throw AdminException.notFound("no fault " + call.path("id"));
            return Reply.noContent();
        });
    }

    private Reply reset(AdminCall call) {
        call.optionalBody();
        call.onlyFields("revoke_tokens");
        Boolean revoke = call.bool(call.body(), "revoke_tokens", "revoke_tokens");
        call.requireValid();
        SandboxWorlds.Reset done = worlds.reset(Boolean.TRUE.equals(revoke));
        return Reply.ok(Map.of("tenants", done.tenants(), "took_ms", done.tookMs()));
    }

    private Reply snapshot(AdminCall call) {
        call.onlyFields("name");
        String name = call.string("name", true);
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) call.error("name", "must be 1 to " + MAX_NAME + " characters, not blank");
        call.requireValid();
        SandboxWorlds.Snapshot taken;
        try {
            taken = worlds.snapshot(name);
        } catch (SandboxWorlds.TooManySnapshots e) {
            throw new AdminException(AdminErrors.Problem.CONFLICT, e.getMessage());
        }
        return Reply.created(SandboxDoor.ROOT + "/snapshots/" + taken.id(), taken.view());
    }

    private SandboxWorlds.Snapshot snapshotCalled(AdminCall call) {
        String id = call.path("id");
        return worlds.find(id).orElseThrow(() -> AdminException.notFound("no snapshot " + id));
    }

    private Reply restore(AdminCall call) {
        long started = System.nanoTime();
        SandboxWorlds.Snapshot restored = worlds.restore(call.path("id"))
                .orElseThrow(() -> AdminException.notFound("no snapshot " + call.path("id")));
        Map<String, Object> view = new java.util.LinkedHashMap<>(restored.view());
        view.put("took_ms", (System.nanoTime() - started) / 1_000_000);
        return Reply.ok(view);
    }

    private Reply clock(AdminCall call) {
        call.onlyFields("advance_s", "set", "reset");
        ObjectNode body = call.body();
        if (body.size() != 1) {
            throw AdminException.invalid("body", "give exactly one of advance_s, set, reset");
        }
        Instant now;
        if (body.has("advance_s")) {
            JsonNode n = body.get("advance_s");
            if (!n.isIntegralNumber() || !n.canConvertToLong() || Math.abs(n.asLong()) > 100L * 366 * 86_400) {
                throw AdminException.invalid("advance_s", "must be an integer number of seconds (at most 100 years either way)");
            }
            now = sandbox.clock().advance(Duration.ofSeconds(n.asLong()));
        } else if (body.has("set")) {
            String text = call.string("set", true);
            call.requireValid();
            try {
                now = sandbox.clock().set(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                throw AdminException.invalid("set", "must be an RFC 3339 instant, e.g. 2027-01-01T00:00:00Z");
            }
        } else {
            Boolean reset = call.bool(body, "reset", "reset");
            call.requireValid();
            if (!Boolean.TRUE.equals(reset)) throw AdminException.invalid("reset", "must be true");
            now = sandbox.clock().reset();
        }
        return Reply.ok(Map.of("now", now.toString()));
    }

    private Reply requests(AdminCall call) {
        String door = call.query("door").orElse(null);
        if (door != null && !Sandbox.DOORS.contains(door)) {
            throw AdminException.invalid("door", "must be one of " + String.join(", ", Sandbox.DOORS));
        }
        Instant since = null;
        Optional<String> sinceText = call.query("since");
        if (sinceText.isPresent()) {
            try {
                since = OffsetDateTime.parse(sinceText.get()).toInstant();
            } catch (DateTimeParseException e) {
                throw AdminException.invalid("since", "must be an RFC 3339 instant, e.g. 2027-01-01T00:00:00Z");
            }
        }
        int limit = DEFAULT_REQUESTS;
        Optional<String> limitText = call.query("limit");
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > RequestJournal.CAPACITY) {
                throw AdminException.invalid("limit", "must be an integer from 1 to " + RequestJournal.CAPACITY);
            }
        }
        RequestJournal.Filter filter = new RequestJournal.Filter(door, call.query("method").orElse(null),
                call.query("path").orElse(null), call.query("app_id").orElse(null), since, limit);
        return Reply.ok(Map.of("items", sandbox.journal().list(filter).stream().map(RequestJournal.Entry::view).toList()));
    }

    private Reply addFault(AdminCall call) {
        call.onlyFields("door", "route", "app_id", "answer", "times", "probability", "seed");
        ObjectNode body = call.body();
        String door = call.string("door", true);
        String route = call.string("route", true);
        String appId = call.string("app_id", false);
        ObjectNode answer = call.object("answer");
        Integer times = call.integer(body, "times", "times");
        Double probability = null;
        JsonNode p = body.get("probability");
        if (p != null && !p.isNull()) {
            if (!p.isNumber() || p.asDouble() < 0 || p.asDouble() > 1) {
                call.error("probability", "must be a number from 0 to 1");
            } else {
                probability = p.asDouble();
            }
        }
        Long seed = null;
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                call.error("seed", "must be an integer");
            } else {
                seed = s.asLong();
            }
        }
        if (times != null && times < 1) call.error("times", "must be at least 1");
        if (door != null && !Sandbox.DOORS.contains(door)) {
            call.error("door", "must be one of " + String.join(", ", Sandbox.DOORS));
        } else if (door != null && route != null && !routesByDoor.get(door).contains(route)) {
            call.error("route", "is no route of door " + door + " (a line of the route table, e.g. "
                    + routesByDoor.get(door).iterator().next() + ")");
        }
        if (body.get("answer") == null || body.get("answer").isNull()) call.error("answer", "is required");
        Pipeline.Fault fault = answer == null ? null : answer(call, door, answer);
        call.requireValid();
        String id = sandbox.faults().nextId();
        Faults.Fault created = new Faults.Fault(id, door, route, appId, fault, times, probability, seed,
                Instant.ofEpochMilli(sandbox.clock().millis()));
        sandbox.faults().add(created);
        return Reply.created(SandboxDoor.ROOT + "/faults/" + id, created.view(times));
    }

    /** One of {http, code?}, {delay_ms}, {drop: true}. */
    private static Pipeline.Fault answer(AdminCall call, String door, ObjectNode answer) {
        List<String> kinds = List.of("http", "delay_ms", "drop");
        long given = kinds.stream().filter(answer::has).count();
        answer.fieldNames().forEachRemaining(f -> {
            if (!kinds.contains(f) && !f.equals("code")) call.error("answer." + f, "unknown field (known: http, code, delay_ms, drop)");
        });
        if (given != 1) {
            call.error("answer", "must be one of {\"http\": S, \"code\"?: C}, {\"delay_ms\": N}, {\"drop\": true}");
            return null;
        }
        if (answer.has("drop")) {
            Boolean drop = call.bool(answer, "drop", "answer.drop");
            if (!Boolean.TRUE.equals(drop)) call.error("answer.drop", "must be true");
            if (answer.has("code")) call.error("answer.code", "goes only with http");
            return new Pipeline.Fault(0, null, 0, true);
        }
        if (answer.has("delay_ms")) {
            Integer delay = call.integer(answer, "delay_ms", "answer.delay_ms");
            if (delay != null && (delay < 1 || delay > MAX_DELAY_MS)) call.error("answer.delay_ms", "must be from 1 to " + MAX_DELAY_MS);
            if (answer.has("code")) call.error("answer.code", "goes only with http");
            return new Pipeline.Fault(0, null, delay == null ? 1 : delay, false);
        }
        Integer status = call.integer(answer, "http", "answer.http");
        if (status != null && (status < 400 || status > 599)) call.error("answer.http", "must be an HTTP error status from 400 to 599");
        Integer code = call.integer(answer, "code", "answer.code");
        if (code != null && "hybridbox".equals(door)) call.error("answer.code", "the hybridbox door has no business codes");
        if (code == null && "feishu".equals(door) && status != null && status > 400 && status < 500 && status != 429) {
            call.error("answer.code", "is required for HTTP " + status + " on the feishu door (its usual code is known for 400, 429 "
                    + "and 5xx only)");
        }
        return new Pipeline.Fault(status == null ? 500 : status, code, 0, false);
    }
}
