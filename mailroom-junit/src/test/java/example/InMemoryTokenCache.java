package example;

import com.lark.oapi.core.cache.ICache;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token cache for one Lark SDK client. The SDK's default cache is shared by the whole JVM per app id, so a
 * client of one sandbox would reuse a token another sandbox (or the real Feishu) issued. Expiry runs on the
 * real clock: moving the sandbox's clock does not make the SDK drop a token, which lets a test see it refused.
 */
final class InMemoryTokenCache implements ICache {
    private record Entry(String value, long expiresAtMillis) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public String get(String key) {
        Entry e = entries.get(key);
        return e == null || e.expiresAtMillis() < System.currentTimeMillis() ? "" : e.value();
    }

    @Override
    public void set(String key, String value, int expire, TimeUnit unit) {
        entries.put(key, new Entry(value, System.currentTimeMillis() + unit.toMillis(expire)));
    }
}
