package mailroom.http;

import io.helidon.webserver.http.HttpRouting;
import java.util.List;

/** One HTTP door of the server: what it serves, described for the route table, and how it is routed. */
public interface Door {
    /** Short name, as in the route table: "feishu", "hybridbox", "ops". */
    String name();

    /** Every route, in registration order. */
    List<RouteSpec> routes();

    /** Adds the door's routes (and its own answers for unknown paths below its prefix) to the routing. */
    void register(HttpRouting.Builder http);

    /**
     * Forgets what the door remembers of past requests (rate-limit windows, failed credentials), as if it had just
     * started: a sandbox reset returns to a known world. Most doors remember nothing.
     */
    default void forget() {
    }
}
