package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A named state of the sandbox's store that {@link MailroomSandbox#restore} returns to. */
public record Snapshot(String id, String name, Instant createdAt) {
    static Snapshot of(JsonNode json) {
        return new Snapshot(json.path("id").asText(), json.path("name").asText(null), Json.instant(json.path("created_at")));
    }
}
