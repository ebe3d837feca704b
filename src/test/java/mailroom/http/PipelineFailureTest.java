package mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever an endpoint throws, the pipeline answers once, in the door's format, and reports it. */
class PipelineFailureTest {
    /** Filled by the server's thread after the answer is sent, read by the test's: thread-safe, and awaited. */
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final RequestMetrics metrics = new RequestMetrics() {
        @Override
        public void served(String door, String route, int status, String code, long startedNanos) {
            served.add(door + " " + route + " " + status + " " + code);
        }

        @Override
        public void rateLimited(String door, String route) {}
    };
    private final Pipeline.Renderer renderer = new Pipeline.Renderer() {
        @Override
        public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
            return null;
        }

        @Override
        public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
            return Pipeline.Answer.json(413, "", "application/json", Map.of("detail", "too large"));
        }

        @Override
        public Pipeline.Answer failure(Pipeline.Exchange exchange) {
            return Pipeline.Answer.json(500, "E", "application/json", Map.of("detail", "door failure"));
        }
    };
    private WebServer web;

    @AfterEach
    void stop() {
        if (web != null) web.stop();
    }

    private HttpResponse<String> get(Pipeline.Endpoint<Void> endpoint) throws Exception {
        Pipeline pipeline = new Pipeline("test", null, metrics);
        web = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/boom", pipeline.handler("GET /boom", renderer, Pipeline.Authenticator.NONE, endpoint)))
                .build().start();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/boom")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anErrorThrownByAnEndpointIsAnsweredByTheDoorsFailureRendererAndCounted() throws Exception {
        HttpResponse<String> r = get((exchange, principal) -> {
            throw new AssertionError("an endpoint's bug");
        });
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"detail\":\"door failure\"}");
        assertThat(servedOnce()).isEqualTo("test GET /boom 500 E");
    }

    @Test
    void anUnexpectedExceptionIsAnsweredTheSameWay() throws Exception {
        HttpResponse<String> r = get((exchange, principal) -> {
            throw new IllegalStateException("a bug");
        });
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"detail\":\"door failure\"}");
        assertThat(servedOnce()).isEqualTo("test GET /boom 500 E");
    }

    /** The one metrics sample of the request; the pipeline records it just after the answer leaves. */
    private String servedOnce() throws InterruptedException {
        for (int i = 0; i < 500 && served.isEmpty(); i++) Thread.sleep(10);
        Thread.sleep(50);
        assertThat(served).hasSize(1);
        return served.get(0);
    }
}
