package mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.core.cache.ICache;
import com.lark.oapi.core.response.BaseResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Official Lark Java SDK clients for tests. Each client gets its own token cache: the SDK's default
 * cache is process-wide per app id, so two test servers would otherwise share (invalid) tokens.
 */
public final class LarkSdk {
    private LarkSdk() {}

    /** A plain in-memory token cache honouring the SDK's expiry. */
    public static final class MapCache implements ICache {
        private record Entry(String value, long expiresAtNanos) {}

        private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

        @Override
        public String get(String key) {
            Entry e = entries.get(key);
            return e == null || System.nanoTime() > e.expiresAtNanos() ? "" : e.value();
        }

        @Override
        public void set(String key, String value, int expire, TimeUnit unit) {
            entries.put(key, new Entry(value, System.nanoTime() + unit.toNanos(expire)));
        }
    }

    public static Client client(int port, String appId) {
        return Client.newBuilder(appId, FeishuHttp.SECRETS.get(appId))
                .openBaseUrl("http://127.0.0.1:" + port)
                .tokenCache(new MapCache())
                .build();
    }

    /** The SDK's answer, after asserting its code is 0 (the message names the response type when it is not). */
    public static <T extends BaseResponse<?>> T ok(T resp) {
        assertThat(resp.getCode()).as("code of %s: %s", resp.getClass().getSimpleName(), resp.getMsg()).isZero();
        return resp;
    }
}
