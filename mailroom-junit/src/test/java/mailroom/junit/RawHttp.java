package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a sandbox's doors, for what the SDK cannot show (a dropped connection, a token kept by hand). */
final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RawHttp() {}

    record Answer(int status, String text, HttpResponse<String> response) {
        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }
    }

    static Answer send(String baseUrl, String method, String path, String bearer, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        if (body != null) request.header("Content-Type", "application/json; charset=utf-8");
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** A tenant access token of a seed app, asked for by hand. */
    static String tenantToken(MailroomSandbox sandbox, String appId) throws IOException, InterruptedException {
        FeishuApp app = sandbox.app(appId);
        Answer answer = send(sandbox.baseUrl(), "POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                "{\"app_id\":\"" + app.appId() + "\",\"app_secret\":\"" + app.appSecret() + "\"}");
        return answer.json().path("tenant_access_token").asText();
    }
}
