package mailroom.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * A local webhook receiver (the JDK's HTTP server on 127.0.0.1): keeps every request it got, answers with the
 * status its policy gives for each one, and notes how many requests of one path were ever in flight at once.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as it arrived: headers with lower-case names, the body, and how many came before it. */
    public record Received(String path, Map<String, List<String>> headers, String body, int index, int status) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.getFirst();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final Map<String, String> flyingIds = new ConcurrentHashMap<>();
    private volatile ToIntFunction<Received> policy = r -> 200;

    private WebhookReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            AtomicInteger flying = inFlight.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger());
            int now = flying.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            String wid = exchange.getRequestHeaders().getFirst("webhook-id");
            String before = flyingIds.put(exchange.getRequestURI().getPath(), wid + " from " + exchange.getRemoteAddress());
            if (now > 1) overlaps.add(wid + " from " + exchange.getRemoteAddress() + " while " + before);
            int status = 500;
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
                Received probe = new Received(exchange.getRequestURI().getPath(), headers, body, received.size(), 0);
                status = policy.applyAsInt(probe);
                received.add(new Received(probe.path(), headers, body, probe.index(), status));
            } finally {
                // Out of flight before the answer leaves: the sender may send the next request the moment it has it.
                flying.decrementAndGet();
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            }
        });
        server.start();
    }

    /** A receiver on a free port. */
    public static WebhookReceiver start() {
        return new WebhookReceiver(0);
    }

    /** A receiver on the port given (to come back where a stopped one was). */
    public static WebhookReceiver startOn(int port) {
        return new WebhookReceiver(port);
    }

    /** How each request is answered: the HTTP status for it (called before it is recorded). */
    public WebhookReceiver answering(ToIntFunction<Received> answer) {
        this.policy = answer;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests answered with a 2xx status. */
    public List<Received> accepted() {
        return received.stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
    }

    /** Requests that arrived while another of the same path was in flight: which, and which other. */
    public List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    /** The most requests of one path that were in flight at the same time. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Waits until {@code n} requests were answered 2xx, at most {@code max}; answers them. */
    public List<Received> awaitAccepted(int n, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (accepted().size() < n && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Received> got = accepted();
        if (got.size() < n) throw new AssertionError("expected " + n + " accepted deliveries within " + max + ", got " + got.size()
                + " of " + received.size() + " requests");
        return got;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
