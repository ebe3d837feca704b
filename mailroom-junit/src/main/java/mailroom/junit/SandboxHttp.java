package mailroom.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP side of the controls: JSON requests to {@code /sandbox/v1} with the admin token, exactly as any
 * other client sends them; a non-2xx answer becomes a {@link SandboxException} carrying its problem details.
 */
final class SandboxHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final String baseUrl;
    private final String adminToken;

    SandboxHttp(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl;
        this.adminToken = adminToken;
    }

    /** The answer's JSON (a missing node for 204), after checking it is a 2xx. */
    JsonNode send(String method, String pathAndQuery, Object body) {
        String text;
        try {
            text = body == null ? null : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the body of " + method + " " + pathAndQuery, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).header("Accept", "application/json")
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (text != null) request.header("Content-Type", "application/json");
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SandboxException(method + " " + pathAndQuery + ": no answer (" + e + ")", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(method + " " + pathAndQuery + ": interrupted", 0, null, e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new SandboxException(SandboxException.describe(method, pathAndQuery, response.statusCode(), json, response.body()),
                    response.statusCode(), json, null);
        }
        return json == null ? JSON.missingNode() : json;
    }

    /** Lets go of the client's connections and selector thread. */
    @Override
    public void close() {
        client.close();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
