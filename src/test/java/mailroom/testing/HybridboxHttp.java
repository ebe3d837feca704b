package mailroom.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/** A raw HTTP client for the Hybridbox door: every call carries a service-account bearer token. */
public final class HybridboxHttp {
    /** The contract seed's Hybridbox accounts and tokens. */
    public static final String ACME = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    public static final String GLOBEX = "7d4e9f10-5a2b-4c3d-8e9f-0a1b2c3d4e5f";
    public static final String TINY = "1a2b3c4d-0000-4000-8000-00000000ab01";
    public static final String PROVISIONING = "hbx_sa_acme_provisioning";
    public static final String VIEWER = "hbx_sa_acme_viewer";
    public static final String GLOBEX_PROVISIONING = "hbx_sa_globex_provisioning";
    public static final String TINY_PROVISIONING = "hbx_sa_tiny_provisioning";

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final FeishuHttp raw;

    public HybridboxHttp(int port) {
        this.raw = new FeishuHttp(port);
    }

    /** Sends with the given token (null = no Authorization header). */
    public FeishuHttp.Response call(String token, String method, String pathAndQuery, String body) {
        return raw.send(method, pathAndQuery, token == null ? null : "Bearer " + token, body);
    }

    /** Sends a body of exactly these bytes (for bodies that are not UTF-8 text). */
    public FeishuHttp.Response callBytes(String token, String method, String pathAndQuery, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(raw.base() + pathAndQuery))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return FeishuHttp.exchange(CLIENT, b);
    }

    /** A path below /v1/public/accounts/{account}. */
    public static String path(String account, String rest) {
        return "/v1/public/accounts/" + account + rest;
    }

    /** A local part no other test run will have used. */
    public static String uniqueLocal(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }
}
