package mailroom.server;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import mailroom.events.WebhookMetrics;
import mailroom.http.RequestMetrics;
import mailroom.mta.MtaMetrics;

/**
 * The server's Micrometer registry, one per server (tests run many in one JVM): request timings fed by
 * each door's pipeline, MTA look-ups and policy decisions, directory and pool gauges read on scrape, JVM
 * binders; rendered for Prometheus.
 */
public final class Metrics implements RequestMetrics, MtaMetrics, WebhookMetrics, AutoCloseable {
    /** What {@link #scrape()} returns: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Meters of the MTA look-ups, found once: a look-up is answered in well under a millisecond. */
    private final java.util.Map<String, Counter> lookupCounters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Timer> lookupTimers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Request timers, found once per series: building and registering one on every request was 5 % of a read's CPU. */
    private final java.util.Map<RequestSeries, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public void served(String door, String route, int status, String code, long startedNanos) {
        requestTimers.computeIfAbsent(new RequestSeries(door, route, status, code), s -> Timer.builder("mailroom.http.requests")
                .description("Requests answered by Mailroom, by door, route template, HTTP status and business code")
                // A few fixed buckets give histogram_quantile() something to work with at ~8 lines per series.
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .tags("door", s.door(), "route", s.route(), "status", Integer.toString(s.status()), "code", s.code())
                .register(registry))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** The tags of one request timer. */
    private record RequestSeries(String door, String route, int status, String code) {}

    @Override
    public void rateLimited(String door, String route) {
        Counter.builder("mailroom.rate.limited.requests")
                .description("Requests refused by the rate limiter (Feishu code 99991400) before their handler ran")
                .tags("door", door, "route", route)
                .register(registry)
                .increment();
    }

    @Override
    public void lookup(String map, String result, long startedNanos) {
        lookupCounters.computeIfAbsent(map + "/" + result, k -> Counter.builder("mailroom.mta.lookups")
                .description("socketmap requests answered, by map (domain, mailbox, alias, senders, invalid) and result")
                .tags("map", map, "result", result)
                .register(registry)).increment();
        if (map.equals("invalid")) return;
        lookupTimers.computeIfAbsent(map, k -> Timer.builder("mailroom.mta.lookup.duration")
                .description("Time to answer a socketmap request, by map")
                // Postfix cleanup asks once per expanded address: most answers must be well under a millisecond.
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofSeconds(1))
                .tags("map", map)
                .register(registry))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void decision(String verdict, String reason) {
        Counter.builder("mailroom.mta.policy.decisions")
                .description("Policy answers, by verdict (allowed, refused, dunno, tempfail) and reason")
                .tags("verdict", verdict, "reason", reason)
                .register(registry)
                .increment();
    }

    @Override
    public void refusedClient(String listener) {
        Counter.builder("mailroom.mta.refused.clients")
                .description("Connections to an MTA listener from outside --mta-clients, closed at once")
                .tag("listener", listener)
                .register(registry)
                .increment();
    }

    @Override
    public void connections(String listener, IntSupplier open) {
        Gauge.builder("mailroom.mta.connections", open, IntSupplier::getAsInt)
                .description("Open connections of an MTA listener")
                .tag("listener", listener)
                .strongReference(true)
                .register(registry);
    }

    private final java.util.Map<String, Timer> webhookTimers = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void attempted(String outcome, long nanos) {
        webhookTimers.computeIfAbsent(outcome, k -> Timer.builder("mailroom.webhook.attempts")
                .description("Webhook delivery attempts, by outcome (succeeded, retrying, failed) and how long they took")
                .serviceLevelObjectives(Duration.ofMillis(25), Duration.ofMillis(250), Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .tag("outcome", outcome)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The retry queue (pending deliveries of every webhook) and the disabled webhooks, read at every scrape. */
    public void webhookGauges(LongSupplier pending, LongSupplier disabled) {
        Gauge.builder("mailroom.webhook.pending", pending, LongSupplier::getAsLong)
                .description("Webhook deliveries waiting for a retry (the retry queue), all nodes together")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mailroom.webhook.disabled", disabled, LongSupplier::getAsLong)
                .description("Webhooks disabled (by an operator, or by the server after failing for days)")
                .strongReference(true)
                .register(registry);
    }

    /** The number of addresses in the namespace, read from the store at every scrape. */
    public void addressGauge(String store, LongSupplier total) {
        Gauge.builder("mailroom.directory.addresses", total, LongSupplier::getAsLong)
                .description("Rows of the address namespace (every owned address of every tenant)")
                .tag("store", store)
                .strongReference(true)
                .register(registry);
    }

    /**
     * The change feed: the journal's last sequence number, read from the store at every scrape (a consumer's lag
     * is this minus the {@code next_after} it last got), and the long polls waiting right now.
     */
    public void changeFeedGauges(LongSupplier lastSeq, IntSupplier openPolls) {
        Gauge.builder("mailroom.journal.last.seq", lastSeq, LongSupplier::getAsLong)
                .description("The journal's last sequence number: a change-feed consumer's lag is this minus its next_after")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mailroom.changes.open.polls", openPolls, IntSupplier::getAsInt)
                .description("Long polls of GET /admin/v1/changes waiting for an entry right now")
                .strongReference(true)
                .register(registry);
    }

    /** Lets HikariCP report its pools (hikaricp_connections_*) without the store knowing Micrometer. */
    public MetricsTrackerFactory connectionPools() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
