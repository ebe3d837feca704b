package mailroom.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import mailroom.http.Pipeline;

/**
 * Sandbox mode's injected faults, in this node's memory: each names a door, a route of the route table and
 * optionally an app, and answers the requests it matches with an error, a delay or a dropped connection, at
 * most {@code times} times (then it is removed) and each with its {@code probability}.
 */
public final class Faults {
    /** One fault as created; {@code remaining} null = until deleted; {@code seed} null = an unseeded roll. */
    public record Fault(String id, String door, String route, String appId, Pipeline.Fault answer, Integer times,
                        Double probability, Long seed, Instant createdAt) {
        public Map<String, Object> view(Integer remaining) {
            Map<String, Object> answerView = new LinkedHashMap<>();
            if (answer.drop()) {
                answerView.put("drop", true);
            } else if (answer.delayMillis() > 0) {
                answerView.put("delay_ms", answer.delayMillis());
            } else {
                answerView.put("http", answer.status());
                if (answer.code() != null) answerView.put("code", answer.code());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("door", door);
            out.put("route", route);
            out.put("app_id", appId);
            out.put("answer", answerView);
            out.put("times", times);
            out.put("remaining", remaining);
            out.put("probability", probability);
            out.put("created_at", createdAt.toString());
            return out;
        }
    }

    private static final class Live {
        final Fault fault;
        final Random random;
        Integer remaining;

        Live(Fault fault) {
            this.fault = fault;
            this.random = fault.seed() != null ? new Random(fault.seed()) : new Random();
            this.remaining = fault.times();
        }
    }

    private final List<Live> live = new ArrayList<>();
    private long next;

    /** A new id for a fault about to be added. */
    public synchronized String nextId() {
        return "flt_" + (++next);
    }

    public synchronized void add(Fault fault) {
        live.add(new Live(fault));
    }

    /** Every fault in the order created, with how many times each may still answer. */
    public synchronized List<Map<String, Object>> views() {
        return live.stream().map(l -> l.fault.view(l.remaining)).toList();
    }

    public synchronized Optional<Map<String, Object>> view(String id) {
        return live.stream().filter(l -> l.fault.id().equals(id)).findFirst().map(l -> l.fault.view(l.remaining));
    }

    public synchronized boolean remove(String id) {
        return live.removeIf(l -> l.fault.id().equals(id));
    }

    public synchronized void clear() {
        live.clear();
    }

    /**
     * The answer of the first fault (in the order created) that matches the request and whose roll comes up;
     * each answer given uses up one of its {@code times}.
     */
    public synchronized Pipeline.Fault match(String door, String route, String appId) {
        for (int i = 0; i < live.size(); i++) {
            Live l = live.get(i);
            Fault f = l.fault;
            if (!f.door().equals(door) || !f.route().equals(route)) continue;
            if (f.appId() != null && !f.appId().equals(appId)) continue;
            if (f.probability() != null && l.random.nextDouble() >= f.probability()) continue;
            if (l.remaining != null) {
                l.remaining--;
                if (l.remaining <= 0) live.remove(i);
            }
            return f.answer();
        }
        return null;
    }
}
