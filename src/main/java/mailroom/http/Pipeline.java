package mailroom.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one request pipeline of every HTTP door: request id, body read under the cap, the door's own
 * authentication, the endpoint, and exactly one answer — the endpoint's, or the door's {@link Renderer}'s
 * for a refusal, an oversized body or an unexpected failure (500 with an id that is also logged, never a
 * stack trace). Every answer is reported to {@link RequestMetrics} by door, route template, status and code.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** One answer, already in the door's wire format; {@code code} is the business code for metrics ("" if none). */
    public record Answer(int status, String code, String contentType, byte[] body) {
        /** An answer without a body (e.g. 204). */
        public static Answer empty(int status, String code) {
            return new Answer(status, code, null, null);
        }

        public static Answer json(int status, String code, String contentType, Object value) {
            return new Answer(status, code, contentType, Json.bytes(value));
        }

        public static Answer text(int status, String contentType, String text) {
            return new Answer(status, "", contentType, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** How a door answers what its endpoints did not: one table of refusals, the body cap, the catch-all. */
    public interface Renderer {
        /** The answer to a refusal the endpoint (or authentication) threw, or null when it is not one. */
        Answer refusal(Exchange exchange, Exception e);

        /** The answer to a body over the route's cap ({@link Exchange#bodyCap()}). */
        Answer tooLarge(Exchange exchange);

        /** The answer to an unexpected failure; {@link Exchange#id()} is the id that was logged with it. */
        Answer failure(Exchange exchange);

        /**
         * The door's own error answer for HTTP {@code status} (and business {@code code}, null for the door's usual
         * one), as sandbox mode's injected faults give it; null when the door has none (then a plain JSON detail).
         */
        default Answer fault(Exchange exchange, int status, Integer code) {
            return null;
        }
    }

    /** What sandbox mode does to a request instead of (or before) its endpoint: an error answer, a delay, or a drop. */
    public record Fault(int status, Integer code, long delayMillis, boolean drop) {}

    /**
     * Sandbox mode's view of every request (docs/sandbox.md), found in the request's context: only a sandbox server
     * registers one, so that without it the pipeline does nothing more than look.
     */
    public interface Tap {
        /** The fault for this authenticated request, or null to serve it normally. */
        Fault fault(String door, Exchange exchange, Object principal);

        /** The request and what it was answered ({@code answer} null: dropped without an answer). */
        void record(String door, Exchange exchange, Object principal, Answer answer, Map<String, String> responseHeaders,
                    long tookNanos);
    }

    /** A door's authentication: the principal of the request, or a refusal thrown for its renderer. */
    @FunctionalInterface
    public interface Authenticator<P> {
        Authenticator<Void> NONE = exchange -> null;

        P authenticate(Exchange exchange) throws Exception;
    }

    /** What a route does once the request is read and authenticated. */
    @FunctionalInterface
    public interface Endpoint<P> {
        Answer handle(Exchange exchange, P principal) throws Exception;
    }

    /** One request on its way through the pipeline. */
    public static final class Exchange {
        private final ServerRequest request;
        private final String id;
        private final String route;
        private final int bodyCap;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private Object state;

        private Exchange(ServerRequest request, String id, String route, int bodyCap) {
            this.request = request;
            this.id = id;
            this.route = route;
            this.bodyCap = bodyCap;
        }

        public ServerRequest request() {
            return request;
        }

        /** The request id (Feishu's log-id shape), unique per request. */
        public String id() {
            return id;
        }

        /** The route template, as in metrics and the route table. */
        public String route() {
            return route;
        }

        /** The client's IP address as the socket sees it (a proxy's, behind one). */
        public String clientAddress() {
            java.net.SocketAddress peer = request.remotePeer().address();
            return peer instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(peer);
        }

        /** The body, at most {@link #bodyCap()} bytes; empty when there is none. */
        public byte[] body() {
            return body;
        }

        /** The most bytes this route reads of a body: {@link RequestBodies#MAX_BYTES} unless the route said more. */
        public int bodyCap() {
            return bodyCap;
        }

        /** Adds a response header to whatever answer this request gets (refusals included). */
        public void header(String name, String value) {
            headers.put(name, value);
        }

        /** Whatever the door wants its renderer to see of this request (e.g. the parsed body). */
        public Object state() {
            return state;
        }

        public void state(Object value) {
            this.state = value;
        }
    }

    private final String door;
    private final String idHeader;
    private final RequestMetrics metrics;

    /**
     * @param door     the door label of metrics
     * @param idHeader response header that carries the request id on every answer, or null for none
     */
    public Pipeline(String door, String idHeader, RequestMetrics metrics) {
        this.door = door;
        this.idHeader = idHeader;
        this.metrics = metrics;
    }

    public String door() {
        return door;
    }

    /** A Helidon handler for one route: body (under {@link RequestBodies#MAX_BYTES}), authentication, endpoint, answer. */
    public <P> Handler handler(String route, Renderer renderer, Authenticator<P> auth, Endpoint<P> endpoint) {
        return handler(route, RequestBodies.MAX_BYTES, renderer, auth, endpoint);
    }

    /**
     * As {@link #handler(String, Renderer, Authenticator, Endpoint)}, with the route's own body cap (at most
     * {@link RequestBodies#LARGEST_CAP}): a route made for large uploads raises it for itself alone.
     */
    public <P> Handler handler(String route, int bodyCap, Renderer renderer, Authenticator<P> auth, Endpoint<P> endpoint) {
        if (bodyCap < 0 || bodyCap > RequestBodies.LARGEST_CAP) {
            throw new IllegalArgumentException("body cap of " + route + " must be 0.." + RequestBodies.LARGEST_CAP);
        }
        return (req, res) -> serve(route, bodyCap, renderer, auth, endpoint, true, req, res);
    }

    /** A handler that reads no body and authenticates nobody: answers for unknown paths, health checks. */
    public Handler bodiless(String route, Renderer renderer, Endpoint<Void> endpoint) {
        return (req, res) -> serve(route, 0, renderer, Authenticator.NONE, endpoint, false, req, res);
    }

    private <P> void serve(String route, int bodyCap, Renderer renderer, Authenticator<P> auth, Endpoint<P> endpoint,
                           boolean readBody, ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        Exchange exchange = new Exchange(req, LogIds.next(), route, bodyCap);
        Answer answer = null;
        boolean closeAfter = false;
        Tap tap = req.context().get(Tap.class, Tap.class).orElse(null);
        Object principalSeen = null;
        boolean drop = false;
        try {
            try {
                P principal;
                if (readBody && bodyCap > RequestBodies.MAX_BYTES) {
                    // A route made for large uploads reads its body only for a caller the door knows: a stranger
                    // must not make the server hold tens of MiB. A refused caller's body stays unread, so the
                    // connection cannot serve a next request and ends with the answer.
                    try {
                        principal = auth.authenticate(exchange);
                    } catch (Exception refused) {
                        closeAfter = req.content().hasEntity();
                        throw refused;
                    }
                    exchange.body = RequestBodies.read(req, bodyCap);
                } else {
                    if (readBody) exchange.body = RequestBodies.read(req, bodyCap);
                    principal = auth.authenticate(exchange);
                }
                principalSeen = principal;
                Fault fault = tap == null ? null : tap.fault(door, exchange, principal);
                if (fault != null && fault.drop()) {
                    drop = true;
                } else if (fault != null && fault.delayMillis() > 0) {
                    Thread.sleep(fault.delayMillis());
                    answer = endpoint.handle(exchange, principal);
                } else if (fault != null) {
                    answer = renderer.fault(exchange, fault.status(), fault.code());
                    if (answer == null) answer = Answer.json(fault.status(), "", "application/json", Map.of("detail", "sandbox fault"));
                } else {
                    answer = endpoint.handle(exchange, principal);
                }
            } catch (RequestBodies.TooLarge e) {
                // The rest of the body was discarded (up to a hard limit) or never read: this connection
                // cannot be trusted to be at the start of a next request, so it ends with this answer.
                closeAfter = true;
                answer = renderer.tooLarge(exchange);
            } catch (Exception e) {
                answer = renderer.refusal(exchange, e);
                if (answer == null) {
                    LOG.error("unexpected failure, id={} door={} route={}", exchange.id(), door, route, e);
                    answer = renderer.failure(exchange);
                }
            } catch (Error e) {
                // an assertion or a stack overflow in an endpoint is still one answer in the door's format
                LOG.error("unexpected failure, id={} door={} route={}", exchange.id(), door, route, e);
                answer = renderer.failure(exchange);
            }
        } catch (RuntimeException | Error e) {
            // the renderer itself failed: still one answer, still no stack trace
            LOG.error("unexpected failure while answering, id={} door={} route={}", exchange.id(), door, route, e);
            answer = Answer.json(500, "", "application/json", Map.of("detail", "Internal Server Error",
                    "error_id", exchange.id()));
        }
        if (drop) {
            tap.record(door, exchange, principalSeen, null, Map.of(), System.nanoTime() - started);
            throw new CloseConnectionException("sandbox fault: connection dropped without an answer");
        }
        // Recorded before it is sent: a client that has its answer finds it in the request journal.
        if (tap != null) tap.record(door, exchange, principalSeen, answer, sentHeaders(exchange, answer, closeAfter),
                System.nanoTime() - started);
        try {
            send(res, exchange, answer, closeAfter);
        } finally {
            metrics.served(door, route, answer.status(), answer.code(), started);
        }
    }

    /** The headers {@link #send} sets, as the request journal shows them. */
    private Map<String, String> sentHeaders(Exchange exchange, Answer answer, boolean closeAfter) {
        Map<String, String> out = new LinkedHashMap<>();
        if (closeAfter) out.put("connection", "close");
        if (answer.contentType() != null) out.put("content-type", answer.contentType());
        if (idHeader != null) out.put(idHeader.toLowerCase(java.util.Locale.ROOT), exchange.id());
        exchange.headers.forEach((name, value) -> out.put(name.toLowerCase(java.util.Locale.ROOT), value));
        return out;
    }

    private void send(ServerResponse res, Exchange exchange, Answer answer, boolean closeAfter) {
        res.status(Status.create(answer.status()));
        if (closeAfter) res.header(HeaderValues.CONNECTION_CLOSE);
        if (answer.contentType() != null) res.header(HeaderNames.CONTENT_TYPE, answer.contentType());
        if (idHeader != null) res.header(HeaderNames.create(idHeader), exchange.id());
        exchange.headers.forEach((name, value) -> res.header(HeaderNames.create(name), value));
        if (answer.body() == null) {
            res.send();
        } else {
            res.send(answer.body());
        }
    }
}
