package mailroom.junit;

import java.util.List;

/** A Feishu custom app of the seed: what a Feishu client needs to get a tenant access token, and what it may do. */
public record FeishuApp(String appId, String appSecret, String tenantKey, List<String> scopes) {
    public FeishuApp {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
