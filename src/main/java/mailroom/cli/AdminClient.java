package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The online commands' HTTP client of the operator door (and of the Feishu token endpoint): sends one request,
 * and turns a problem answer into a {@link CliFailure} with the problem's slug and detail on one line.
 */
final class AdminClient {
    static final String ROOT = "/admin/v1";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** An answer the server gave with a status below 400. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliFailure(CliFailure.UNEXPECTED, "the server's answer is not JSON");
            }
        }
    }

    private final String base;
    private final Supplier<String> token;
    private final HttpClient http;

    /** @param token the operator token, asked for only when a request to the operator door is sent */
    AdminClient(String base, Supplier<String> token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    String base() {
        return base;
    }

    /** One path segment, percent-encoded (a user id or a domain may hold what a path may not). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Answer get(String path) {
        return send("GET", path, null, null, Duration.ofMinutes(1));
    }

    Answer delete(String path) {
        return send("DELETE", path, null, null, Duration.ofMinutes(1));
    }

    Answer post(String path, Object body) {
        return send("POST", path, "application/json", bytes(body), Duration.ofMinutes(1));
    }

    /** A JSON merge patch. */
    Answer patch(String path, Object body) {
        return send("PATCH", path, "application/json", bytes(body), Duration.ofMinutes(1));
    }

    /** Sends to the operator door (path below /admin/v1) with the operator token. */
    Answer send(String method, String path, String contentType, byte[] body, Duration timeout) {
        HttpRequest.Builder request = request(ROOT + path, timeout).header("Authorization", "Bearer " + token.get());
        return exchange(request, method, contentType, body);
    }

    /** Sends to a path outside the operator door, without the operator token (the Feishu token endpoint). */
    Answer sendUnauthenticated(String method, String path, Object body) {
        return exchange(request(path, Duration.ofMinutes(1)), method, "application/json", bytes(body));
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        try {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(CliFailure.USAGE, "not a usable URL: " + base + path + " (" + e.getMessage() + ")");
        }
    }

    private Answer exchange(HttpRequest.Builder request, String method, String contentType, byte[] body) {
        if (contentType != null) request.header("Content-Type", contentType);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "no answer from " + base + " in time");
        } catch (ConnectException e) {
            throw unreachable(e.getCause() instanceof UnresolvedAddressException ? "unknown host" : "connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.UNEXPECTED, "interrupted");
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() >= 400) throw refusal(response.statusCode(), type, response.body());
        return new Answer(response.statusCode(), type, response.body());
    }

    private CliFailure unreachable(String why) {
        return new CliFailure(CliFailure.UNREACHABLE, "cannot reach " + base + ": " + why);
    }

    /** "slug: detail" of a problem answer, with every field error of a validation problem; else the bare status. */
    static CliFailure refusal(int status, String contentType, byte[] body) {
        JsonNode problem = null;
        if (contentType.startsWith("application/problem+json") || contentType.startsWith("application/json")) {
            try {
                problem = JSON.readTree(body);
            } catch (IOException e) {
                problem = null;
            }
        }
        if (problem == null || !problem.isObject() || !problem.has("title")) {
            return new CliFailure(CliFailure.exitOf(status), "the server answered HTTP " + status
                    + (contentType.isEmpty() ? "" : " (" + contentType + ")") + ", not a problem of the operator door");
        }
        String type = problem.path("type").asText("");
        String slug = type.startsWith("urn:mailroom:problem:") ? type.substring("urn:mailroom:problem:".length()) : null;
        StringBuilder line = new StringBuilder(slug != null ? slug : problem.path("title").asText());
        line.append(": ").append(problem.hasNonNull("detail") ? problem.get("detail").asText() : problem.path("title").asText());
        JsonNode errors = problem.path("errors");
        List<String> fields = new ArrayList<>();
        for (JsonNode e : errors.isArray() ? errors : JSON.createArrayNode()) {
            // A problem of one field says it in the detail already.
            if (!problem.path("detail").asText().contains(e.path("message").asText())) {
                fields.add(e.path("field").asText() + ": " + e.path("message").asText());
            }
        }
        if (!fields.isEmpty()) line.append(" (").append(String.join("; ", fields)).append(')');
        if (problem.hasNonNull("error_id")) line.append(" (error id ").append(problem.get("error_id").asText()).append(')');
        return new CliFailure(CliFailure.exitOf(status), line.toString());
    }

    static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
