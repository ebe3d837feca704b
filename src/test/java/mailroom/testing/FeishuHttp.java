package mailroom.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A raw HTTP client for tests that need to see exactly what goes over the wire. */
public final class FeishuHttp {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** Credentials of the contract seed's apps, by app id. */
    public static final Map<String, String> SECRETS = Map.of(
            "cli_full", "secret-full", "cli_readonly", "secret-readonly", "cli_noscope", "secret-noscope",
            "cli_nogeo", "secret-nogeo", "cli_globex", "secret-globex", "cli_tiny", "secret-tiny",
            "cli_bench", "secret-bench");

    public record Response(int status, Map<String, String> headers, String text) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final String base;
    private final HttpClient client;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    public FeishuHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = CLIENT;
    }

    /**
     * A client whose connections come from {@code from}, e.g. 127.0.0.2: every address of 127.0.0.0/8 is this
     * machine, so a test can be several clients of the server at once.
     */
    public FeishuHttp(int port, java.net.InetAddress from) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder().localAddress(from).build();
    }

    public String base() {
        return base;
    }

    public String token(String appId) {
        return tokens.computeIfAbsent(appId, id -> {
            Response r = send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                    "{\"app_id\":\"" + id + "\",\"app_secret\":\"" + SECRETS.get(id) + "\"}");
            return r.json().get("tenant_access_token").asText();
        });
    }

    /** Sends with the given app's tenant token (null app = no Authorization header). */
    public Response call(String appId, String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, appId == null ? null : "Bearer " + token(appId), body);
    }

    public Response send(String method, String pathAndQuery, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return exchange(client, b);
    }

    /** Sends the request and reads the whole answer, headers lower-cased: the one way every test client here asks. */
    public static Response exchange(HttpClient client, HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new HashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            return new Response(r.statusCode(), headers, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
