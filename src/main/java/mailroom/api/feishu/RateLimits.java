package mailroom.api.feishu;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import mailroom.directory.access.App;
import mailroom.directory.tenant.RateQuota;
import mailroom.directory.tenant.Tenants;
import mailroom.http.ClockTimeMeter;

/**
 * Feishu's documented request rates, per app and per endpoint, with Bucket4j buckets in this node's
 * memory (docs/adr/0004: with N nodes an app may reach N times a quota). A tenant's seed may
 * override an endpoint's quota; overrides are re-read from the store at most every 30 seconds.
 */
public final class RateLimits implements FeishuRouter.RateGate {
    /** What "Special" (an unpublished platform limit) means here. */
    public static final RateQuota SPECIAL = RateQuota.parse("50/s");
    static final long OVERRIDES_TTL_MILLIS = 30_000;

    private record Key(String appId, String endpoint) {}

    private record Overrides(long loadedAt, Map<String, RateQuota> byEndpoint) {}

    /** One Bucket4j bucket per window, so a refusal can name the window that refused. */
    private record Windows(RateQuota quota, List<RateQuota.Window> windows, List<Bucket> buckets) {
        static Windows of(RateQuota quota, TimeMeter time) {
            List<Bucket> buckets = new ArrayList<>();
            for (RateQuota.Window w : quota.windows()) {
                buckets.add(Bucket.builder().addLimit(Bandwidth.builder().capacity(w.requests())
                        .refillIntervally(w.requests(), w.period()).build()).withCustomTimePrecision(time).build());
            }
            return new Windows(quota, quota.windows(), buckets);
        }

        /** Takes one request from every window, or none: a refusal gives back what it took. */
        Optional<long[]> take() {
            for (int i = 0; i < buckets.size(); i++) {
                ConsumptionProbe probe = buckets.get(i).tryConsumeAndReturnRemaining(1);
                if (!probe.isConsumed()) {
                    for (int j = 0; j < i; j++) buckets.get(j).addTokens(1);
                    long resetSeconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                    return Optional.of(new long[]{windows.get(i).requests(), resetSeconds});
                }
            }
            return Optional.empty();
        }
    }

    private final Tenants tenants;
    private final Clock clock;
    /** The server's clock as Bucket4j reads time: windows move with a sandbox's clock (docs/sandbox.md). */
    private final TimeMeter time;
    private final ConcurrentMap<Key, Windows> buckets = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Overrides> overrides = new ConcurrentHashMap<>();

    public RateLimits(Tenants tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
        this.time = new ClockTimeMeter(clock);
    }

    /** The documented quota of a route ("Special" meaning {@link #SPECIAL}). */
    public static RateQuota documented(FeishuRouter.Route route) {
        return route.rate() == null || route.rate().equals("Special") ? SPECIAL : RateQuota.parse(route.rate());
    }

    /** The quota that applies to the route for the tenant: its override, else the documented one. */
    public RateQuota quota(FeishuRouter.Route route, String tenantKey) {
        long now = clock.millis();
        Overrides o = overrides.compute(tenantKey, (k, old) -> old != null && now - old.loadedAt() < OVERRIDES_TTL_MILLIS
                ? old : new Overrides(now, tenants.rateLimits(k)));
        RateQuota override = o.byEndpoint().get(route.describe());
        return override != null ? override : documented(route);
    }

    /** Every window starts afresh and every tenant's overrides are read again (a sandbox reset). */
    public void forget() {
        buckets.clear();
        overrides.clear();
    }

    @Override
    public Optional<long[]> refuse(FeishuRouter.Route route, App app) {
        RateQuota quota = quota(route, app.tenantKey());
        Windows windows = buckets.compute(new Key(app.appId(), route.describe()),
                (k, old) -> old != null && old.quota().equals(quota) ? old : Windows.of(quota, time));
        return windows.take();
    }
}
