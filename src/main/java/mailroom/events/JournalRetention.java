package mailroom.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import mailroom.directory.Journal;
import mailroom.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal to its retention ({@code --journal-retention}): at start and then every
 * {@link #interval(Duration)}, entries older than the retention are pruned, oldest first, a small batch per
 * write transaction, so that directory writes queue behind one short delete at most. Every node runs it; on a
 * shared PostgreSQL their prunes overlap harmlessly (see {@link Journal#prune}).
 */
public final class JournalRetention implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    /** Entries deleted per transaction: a few milliseconds of a writer's time on either database. */
    public static final int BATCH = 1000;

    private final Journal journal;
    private final Duration retention;
    private final Clock clock;
    private final Duration interval;
    private final int batch;
    private volatile boolean stopping;
    private ScheduledExecutorService timer;

    public JournalRetention(Journal journal, Duration retention, Clock clock) {
        this(journal, retention, clock, interval(retention), BATCH);
    }

    public JournalRetention(Journal journal, Duration retention, Clock clock, Duration interval, int batch) {
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("the retention must be positive");
        this.journal = journal;
        this.retention = retention;
        this.clock = clock;
        this.interval = interval;
        this.batch = batch;
    }

    /**
     * How often to prune: a hundredth of the retention, between one second and one hour, so that an entry outlives
     * its retention by at most about 1 % (an hour at the default 400 days).
     */
    public static Duration interval(Duration retention) {
        Duration d = retention.dividedBy(100);
        if (d.compareTo(Duration.ofSeconds(1)) < 0) return Duration.ofSeconds(1);
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    @Override
    public String name() {
        return "journal retention";
    }

    @Override
    public void start() {
        stopping = false;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pruneLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        if (timer == null) return;
        // No interrupt: a batch in flight is one short transaction; it finishes, and the loop sees stopping.
        timer.shutdown();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) timer.shutdownNow();
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Prunes every entry older than the retention now, batch after batch (each its own transaction), until none is
     * left or the service stops; answers how many went.
     */
    public long pruneNow() {
        Instant before = clock.instant().minus(retention);
        long total = 0;
        while (!stopping) {
            int n = journal.prune(before, batch);
            total += n;
            if (n < batch) break;
        }
        return total;
    }

    private void pruneLogged() {
        try {
            long n = pruneNow();
            if (n > 0) LOG.info("pruned {} journal entries older than {}", n, retention);
        } catch (RuntimeException e) {
            // The database may be away for a moment; the next round tries again.
            LOG.warn("pruning the journal failed; trying again in {}", interval, e);
        }
    }
}
