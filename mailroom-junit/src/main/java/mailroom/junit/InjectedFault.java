package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A fault the sandbox holds, as {@code GET /sandbox/v1/faults} lists it: {@code remaining} counts down from
 * {@code times} (both null for a fault that answers until removed).
 */
public record InjectedFault(String id, String door, String route, String appId, Fault.Answer answer, Integer times,
                            Integer remaining, Double probability, Instant createdAt) {
    static InjectedFault of(JsonNode json) {
        return new InjectedFault(json.path("id").asText(), Json.text(json.get("door")), Json.text(json.get("route")),
                Json.text(json.get("app_id")), Fault.answerOf(json.path("answer")), Json.integer(json.get("times")),
                Json.integer(json.get("remaining")), Json.number(json.get("probability")), Json.instant(json.get("created_at")));
    }
}
