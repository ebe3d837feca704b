package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault to inject ({@code POST /sandbox/v1/faults}): which requests it matches (door, route as the route table
 * lists it, optionally one app), what they get instead of their real answer, how often. Immutable: each method
 * returns a new fault.
 *
 * <pre>{@code
 * Fault.on("feishu", "POST /open-apis/mail/v1/mailgroups").answer(Fault.http(429, 99991400)).times(1)
 * }</pre>
 */
public final class Fault {
    /** What a faulted request gets: an error answer in the door's own format, a delay before its real answer, or no answer. */
    public sealed interface Answer permits Http, Delay, Drop {}

    /** The door's error answer for this HTTP status and (Feishu only; null for the door's usual code) business code. */
    public record Http(int status, Integer code) implements Answer {}

    /** A wait before the real answer, which then runs normally. */
    public record Delay(Duration delay) implements Answer {}

    /** The connection closed without any answer. */
    public record Drop() implements Answer {}

    private final String door;
    private final String route;
    private final String appId;
    private final Answer answer;
    private final Integer times;
    private final Double probability;
    private final Long seed;

    private Fault(String door, String route, String appId, Answer answer, Integer times, Double probability, Long seed) {
        this.door = door;
        this.route = route;
        this.appId = appId;
        this.answer = answer;
        this.times = times;
        this.probability = probability;
        this.seed = seed;
    }

    /** A fault for requests to this door ({@code feishu}, {@code hybridbox}) on this route, e.g. {@code GET /open-apis/mail/v1/mailgroups}. */
    public static Fault on(String door, String route) {
        return new Fault(door, route, null, null, null, null, null);
    }

    /** {@code on("feishu", route)}. */
    public static Fault feishu(String route) {
        return on("feishu", route);
    }

    /** {@code on("hybridbox", route)}, e.g. {@code GET /v1/public/accounts/{account_id}/mailboxes}. */
    public static Fault hybridbox(String route) {
        return on("hybridbox", route);
    }

    /** The door's error answer for this status, with its usual code (Feishu: 400 → 1234008, 429 → 99991400, 5xx → 1230003). */
    public static Answer http(int status) {
        return new Http(status, null);
    }

    /** The Feishu door's error answer for this status and business code, e.g. {@code http(429, 99991400)}. */
    public static Answer http(int status, int code) {
        return new Http(status, code);
    }

    /** Waits this long (whole milliseconds, at most two minutes), then answers normally. */
    public static Answer delay(Duration delay) {
        return new Delay(delay);
    }

    /** Closes the connection without an answer. */
    public static Answer drop() {
        return new Drop();
    }

    public Fault answer(Answer newAnswer) {
        return new Fault(door, route, appId, newAnswer, times, probability, seed);
    }

    /** Only requests of this Feishu app (for Hybridbox: of this service account id). */
    public Fault appId(String newAppId) {
        return new Fault(door, route, newAppId, answer, times, probability, seed);
    }

    /** Answers this many requests, then removes itself (without it: until removed). */
    public Fault times(int newTimes) {
        return new Fault(door, route, appId, answer, newTimes, probability, seed);
    }

    /** Each matching request gets the fault with this chance (0 to 1). */
    public Fault probability(double newProbability) {
        return new Fault(door, route, appId, answer, times, newProbability, seed);
    }

    /** Seeds the probability's random roll, so that every run faults the same requests. */
    public Fault seed(long newSeed) {
        return new Fault(door, route, appId, answer, times, probability, newSeed);
    }

    /** The JSON body of {@code POST /sandbox/v1/faults}; what is not set is left out, and the server judges the rest. */
    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("door", door);
        out.put("route", route);
        if (appId != null) out.put("app_id", appId);
        if (answer != null) out.put("answer", answerBody(answer));
        if (times != null) out.put("times", times);
        if (probability != null) out.put("probability", probability);
        if (seed != null) out.put("seed", seed);
        return out;
    }

    private static Map<String, Object> answerBody(Answer answer) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (answer) {
            case Http h -> {
                out.put("http", h.status());
                if (h.code() != null) out.put("code", h.code());
            }
            case Delay d -> out.put("delay_ms", d.delay().toMillis());
            case Drop d -> out.put("drop", true);
        }
        return out;
    }

    /** An answer as {@code GET /sandbox/v1/faults} shows it. */
    static Answer answerOf(JsonNode json) {
        if (json.path("drop").asBoolean(false)) return new Drop();
        if (json.has("delay_ms")) return new Delay(Duration.ofMillis(json.path("delay_ms").asLong()));
        return new Http(json.path("http").asInt(), Json.integer(json.get("code")));
    }

    @Override
    public String toString() {
        return "Fault" + body();
    }
}
