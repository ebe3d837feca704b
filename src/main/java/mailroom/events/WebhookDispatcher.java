package mailroom.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import mailroom.directory.Change;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.webhook.EventTypes;
import mailroom.directory.webhook.Webhook;
import mailroom.directory.webhook.WebhookDelivery;
import mailroom.directory.webhook.WebhookDelivery.Status;
import mailroom.directory.webhook.WebhookQueue;
import mailroom.directory.webhook.WebhookQueue.Health;
import mailroom.directory.webhook.WebhookQueue.Outcome;
import mailroom.directory.webhook.WebhookTargets;
import mailroom.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers journal entries to webhooks, on every node: each node leases the webhooks no node holds and runs one
 * worker per leased webhook, which delivers that webhook's entries in sequence order, one at a time (a failed
 * delivery is retried on the schedule and holds the later ones back until it succeeds or runs out of retries),
 * and records each outcome with the webhook's cursor only while the lease is still its own. Deliveries are at
 * least once: an entry attempted but not yet recorded when a node stops is attempted again, with the same id.
 */
public final class WebhookDispatcher implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A lease outlives a worker's silence by far: it is renewed when half of it is left. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** How often a node looks for webhooks nobody delivers for, and for old deliveries to prune. */
    static final Duration CLAIM_INTERVAL = Duration.ofSeconds(1);
    /** The longest a worker waits before looking at its queue again (new entries wake it earlier). */
    static final Duration IDLE = Duration.ofSeconds(1);
    /** Entries read and delivered per round, recorded together. */
    static final int ROUND = 100;
    /**
     * The longest a round goes on before it records what it did and reads the webhook again: a change of URL,
     * secret or events, a disabling or a deletion applies within this time.
     */
    static final Duration ROUND_TIME = Duration.ofSeconds(5);
    /**
     * How long successful deliveries may wait to be recorded together: under a stream of writes a webhook's
     * deliveries cost a few writes a second, not one per round (on SQLite they share the directory's one writer).
     * A node that crashes meanwhile leaves them to be delivered again, with the same ids.
     */
    static final Duration RECORD_EVERY = Duration.ofMillis(250);
    /**
     * How long a worker lets entries gather after a round that found a few: under a stream of writes it then reads
     * the journal some forty times a second, not after every commit, at the cost of that much latency.
     */
    static final Duration GATHER = Duration.ofMillis(25);
    /** How often a worker reads its webhook (a change made through the door is also seen in the journal at once). */
    static final Duration REREAD = Duration.ofSeconds(1);
    /** How often a worker looks for a pending delivery it did not make itself (a redelivery an operator asked for). */
    static final Duration HEAD_CHECK = Duration.ofSeconds(1);
    /**
     * While this node commits more journalled writes than {@link #BUSY_WRITES} a second, its deliveries together
     * make at most this many attempts a second, so that they take little of the CPU the writes need (on two cores a
     * delivery, receiver included, costs about a tenth of a write); the backlog goes at full speed once writes ease.
     */
    static final int PACE_WHILE_BUSY = 1000;
    static final int BUSY_WRITES = 100;
    /** How soon a waiting worker or the coordinator sees that the node stops. */
    static final Duration STOP_CHECK = Duration.ofMillis(50);
    /** How often a cursor moved only past entries of no interest is stored, so that the webhook's lag shows. */
    static final Duration CURSOR_SAVE = Duration.ofSeconds(5);
    private static final int PRUNE_BATCH = 1000;
    private static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

    private final WebhookQueue queue;
    private final Journal journal;
    private final EventOptions options;
    private final WebhookTargets targets;
    private final WebhookMetrics metrics;
    private final String node = "node_" + Ids.randomShortId();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Bucket pace = Bucket.builder().addLimit(Bandwidth.builder().capacity(PACE_WHILE_BUSY / 20)
            .refillGreedy(PACE_WHILE_BUSY, Duration.ofSeconds(1)).build()).build();
    private long sampledCommits;
    private long sampledAt = System.nanoTime();
    private volatile boolean busy;
    private volatile boolean running;
    private Thread coordinator;
    private HttpClient http;

    public WebhookDispatcher(WebhookQueue queue, Journal journal, EventOptions options, WebhookTargets targets,
                             WebhookMetrics metrics) {
        this.queue = queue;
        this.journal = journal;
        this.options = options;
        this.targets = targets;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "webhook dispatcher";
    }

    @Override
    public void start() {
        http = HttpClient.newBuilder().connectTimeout(options.attemptTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        running = true;
        coordinator = Thread.ofVirtual().name("webhook-coordinator").start(this::coordinate);
    }

    @Override
    public void stop() {
        // Nothing is interrupted: waits are cut into slices of STOP_CHECK and see the stop after the slice. An
        // interrupt would close a database connection in the middle of a read (virtual threads' sockets are
        // interruptible), leave a request in flight while another node, given the lease, sends the next one, or
        // keep a worker from recording what it delivered, which the next node would then deliver again.
        running = false;
        join(coordinator);
        List<Worker> stopping = new ArrayList<>(workers.values());
        // One deadline for all: each worker's attempt in flight (bounded by the attempt timeout) and its record.
        long deadline = System.nanoTime() + options.attemptTimeout().multipliedBy(2).plusSeconds(5).toNanos();
        for (Worker w : stopping) {
            try {
                w.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (http != null) http.close();
    }

    /**
     * A webhook's worker thread, its lease's end, and the successful deliveries not yet recorded (with when the
     * first of them was made).
     */
    private static final class Worker {
        volatile Thread thread;
        long leasedUntil;
        final List<WebhookDelivery> succeeded = new ArrayList<>();
        long succeededSince;
        Webhook webhook;
        long webhookReadAt;
        boolean headMaybe = true;
        long headCheckedAt;
    }

    /** The worker of the calling thread. */
    private final ThreadLocal<Worker> current = new ThreadLocal<>();

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ids of the webhooks this node delivers for now. */
    public java.util.Set<String> leased() {
        return java.util.Set.copyOf(workers.keySet());
    }

    private void coordinate() {
        long nextPrune = 0;
        while (running) {
            try {
                for (String id : queue.claimable()) {
                    if (!running) break;
                    if (workers.containsKey(id)) continue;
                    java.util.OptionalLong until = queue.claim(id, node, LEASE.toMillis());
                    if (until.isEmpty()) continue;
                    Worker worker = new Worker();
                    worker.leasedUntil = until.getAsLong();
                    workers.put(id, worker);
                    worker.thread = Thread.ofVirtual().name("webhook-" + id).unstarted(() -> {
                        current.set(worker);
                        work(id);
                    });
                    worker.thread.start();
                }
                if (queue.now() >= nextPrune) {
                    prune();
                    nextPrune = queue.now() + PRUNE_INTERVAL.toMillis();
                }
            } catch (RuntimeException e) {
                if (running) LOG.warn("webhook coordinator: {}", e.toString());
            }
            long until = System.nanoTime() + CLAIM_INTERVAL.toNanos();
            while (running && System.nanoTime() < until) {
                if (!sleep(STOP_CHECK)) return;
            }
        }
    }

    private void prune() {
        long before = queue.now() - options.journalRetention().toMillis();
        while (running && queue.prune(before, PRUNE_BATCH) == PRUNE_BATCH) {
            // another batch: each is its own short transaction
        }
    }

    /** One webhook's worker: rounds of deliveries until the lease is lost, the webhook is gone or disabled, or stop. */
    private void work(String id) {
        Long cursor = null;
        long saved = 0;
        long savedAt = System.nanoTime();
        boolean reread = true;
        while (running) {
            try {
                Worker worker = current.get();
                if (reread || System.nanoTime() - worker.webhookReadAt > REREAD.toNanos()) {
                    Optional<Webhook> found = queue.webhook(id);
                    if (found.isEmpty() || !found.get().enabled()) break;
                    worker.webhook = found.get();
                    worker.webhookReadAt = System.nanoTime();
                }
                Webhook w = worker.webhook;
                if (cursor == null || cursor < w.cursorSeq()) cursor = w.cursorSeq();
                if (!renewLease(id)) break;
                if (w.cursorSeq() > saved) saved = w.cursorSeq();
                Round round = round(w, cursor);
                cursor = round.cursor();
                reread = round.reread();
                boolean recordNow = !worker.succeeded.isEmpty() && (worker.succeeded.size() >= ROUND || round.quiet()
                        || !running || System.nanoTime() - worker.succeededSince >= RECORD_EVERY.toNanos());
                if (recordNow) {
                    recordSucceeded(id, cursor);
                    saved = cursor;
                    savedAt = System.nanoTime();
                } else if (round.recorded()) {
                    saved = cursor;
                    savedAt = System.nanoTime();
                } else if (worker.succeeded.isEmpty() && cursor > saved && System.nanoTime() - savedAt > CURSOR_SAVE.toNanos()) {
                    queue.record(id, node, Outcome.cursor(cursor));
                    saved = cursor;
                    savedAt = System.nanoTime();
                }
                if (round.idle() != null && !idle(cursor, round.idle(), round.wakeOnEntries())) break;
            } catch (WebhookQueue.LeaseLost e) {
                LOG.info("{}", e.getMessage());
                workers.remove(id);
                return;
            } catch (Stopped | Lost e) {
                break;
            } catch (RuntimeException e) {
                // The database may be away for a moment: the worker keeps its lease and tries again.
                if (running) LOG.warn("webhook {}: {}", id, e.toString());
                if (!idle(cursor == null ? 0 : cursor, IDLE, false)) break;
            }
        }
        try {
            if (cursor != null) recordSucceeded(id, cursor);
            queue.release(id, node);
        } catch (RuntimeException e) {
            // Another node may take it over when the lease expires; the entries not recorded are delivered again.
            LOG.debug("webhook {}: lease not released: {}", id, e.toString());
        } finally {
            // Only now: a stopping node waits for the workers it still lists, and must not close the store
            // while one records what it delivered.
            workers.remove(id);
        }
    }

    /** Records the successful deliveries waiting to be (if any) with the cursor after them. */
    private void recordSucceeded(String id, long cursor) {
        List<WebhookDelivery> succeeded = current.get().succeeded;
        queue.record(id, node, Outcome.inserted(succeeded, cursor, succeeded.isEmpty() ? Health.UNCHANGED : Health.HEALTHY, null));
        succeeded.clear();
    }

    /**
     * Extends the worker's lease when half of it is gone; answers false when another node holds the webhook now.
     * Called before every attempt, so that an attempt (at most the attempt timeout) always ends well inside it.
     */
    private boolean renewLease(String id) {
        Worker worker = current.get();
        if (worker.leasedUntil - queue.now() >= LEASE.toMillis() / 2) return true;
        java.util.OptionalLong until = queue.claim(id, node, LEASE.toMillis());
        if (until.isEmpty()) return false;
        worker.leasedUntil = until.getAsLong();
        return true;
    }

    /** Thrown when a renewal finds the lease gone: what this round did is not recorded (the new holder redoes it). */
    private static final class Lost extends RuntimeException {
        Lost() {
            super("lease lost", null, false, false);
        }
    }

    /**
     * What a round did: the cursor after it, whether it stored it, how long to wait before the next (null: at
     * once), whether a new journal entry ends that wait (not while the head of the queue waits for its retry, nor
     * while entries gather), whether it found nothing new, and whether the webhook itself changed meanwhile.
     */
    private record Round(long cursor, boolean recorded, Duration idle, boolean wakeOnEntries, boolean quiet, boolean reread) {}

    private Round round(Webhook w, long cursor) {
        long now = queue.now();
        Worker worker = current.get();
        Optional<WebhookDelivery> head = Optional.empty();
        if (worker.headMaybe || System.nanoTime() - worker.headCheckedAt > HEAD_CHECK.toNanos()) {
            head = queue.head(w.id());
            worker.headMaybe = head.isPresent();
            worker.headCheckedAt = System.nanoTime();
        }
        if (head.isPresent()) {
            WebhookDelivery d = head.get();
            long due = d.nextAttemptAt() == null ? now : d.nextAttemptAt();
            if (due > now) return new Round(cursor, false, Duration.ofMillis(Math.min(due - now, IDLE.toMillis())), false, true, false);
            Optional<Change.Entry> entry = entry(w, d.seq());
            if (!renewLease(w.id())) throw new Lost();
            Attempt a = entry.isPresent() ? attempt(w, d.eventId(), entry.get())
                    : new Attempt(false, null, "the entry is no longer in the journal (pruned)", 0);
            WebhookDelivery after = next(d, a, entry.isPresent());
            queue.record(w.id(), node, new Outcome(List.of(), after, d, cursor, health(w, a), disabledReason(w)));
            return new Round(cursor, true, null, false, false, true);
        }
        Journal.Slice slice = queue.next(w, cursor, ROUND);
        long started = System.nanoTime();
        List<WebhookDelivery> inserted = new ArrayList<>();
        long moved = cursor;
        Attempt last = null;
        boolean blocked = false;
        boolean changed = false;
        for (Change.Entry e : slice.items()) {
            // A stopping node records what it delivered so far and leaves the rest to the next holder of the lease;
            // a long round does the same, and reads the webhook again before it goes on.
            if (!running || System.nanoTime() - started > ROUND_TIME.toNanos()) {
                blocked = true;
                break;
            }
            String type = EventTypes.of(e.change());
            if (EventTypes.matches(w.events(), type)) {
                if (!renewLease(w.id()) || !paced()) {
                    blocked = true;
                    break;
                }
                WebhookDelivery first = new WebhookDelivery(WebhookDelivery.idOf(w.id(), e.seq()), w.id(), e.seq(), type,
                        Status.PENDING, 0, null, null, null, null, queue.now());
                last = attempt(w, first.eventId(), e);
                inserted.add(next(first, last, true));
                moved = e.seq();
                if (!last.ok()) {
                    blocked = true;
                    break;
                }
            } else {
                moved = e.seq();
            }
            // The webhook itself changed (through the operator door): later entries go as it is now.
            if (e.change().objectKind() == Change.ObjectKind.WEBHOOK && e.change().objectId().equals(w.id())) {
                changed = true;
                blocked = true;
                break;
            }
        }
        if (!blocked) moved = Math.max(moved, slice.nextAfter());
        boolean failed = last != null && !last.ok();
        WebhookDelivery failure = failed ? inserted.removeLast() : null;
        if (!inserted.isEmpty()) {
            if (worker.succeeded.isEmpty()) worker.succeededSince = System.nanoTime();
            worker.succeeded.addAll(inserted);
        }
        if (failed) {
            Webhook failing = w;
            if (!worker.succeeded.isEmpty()) {
                // Successes before the failure: the webhook was healthy in between, and fails afresh from now.
                recordSucceeded(w.id(), worker.succeeded.getLast().seq());
                failing = healthy(w);
            }
            queue.record(w.id(), node, Outcome.inserted(List.of(failure), moved, health(failing, last), disabledReason(failing)));
            worker.headMaybe = true;
        }
        boolean more = slice.items().size() == ROUND || blocked;
        boolean quiet = slice.items().isEmpty();
        Duration wait = more ? null : quiet ? IDLE : GATHER;
        return new Round(moved, failed, wait, quiet, quiet, changed || failed);
    }

    /**
     * Waits for this attempt's turn while the node's writers are busy (at once otherwise); answers false when the
     * node stops meanwhile.
     */
    private boolean paced() {
        if (!busy()) return true;
        while (running) {
            if (pace.tryConsume(1)) return true;
            if (!idle(0, Duration.ofMillis(5), false)) return false;
        }
        return false;
    }

    /** Whether the node committed more than {@link #BUSY_WRITES} journalled writes a second lately (sampled every 100 ms). */
    private boolean busy() {
        synchronized (pace) {
            long now = System.nanoTime();
            long elapsed = now - sampledAt;
            if (elapsed >= 100_000_000L) {
                long commits = journal.localCommits();
                busy = (commits - sampledCommits) * 1_000_000_000L / elapsed > BUSY_WRITES;
                sampledCommits = commits;
                sampledAt = now;
            }
            return busy;
        }
    }

    /** Waits (for a new entry after {@code cursor} too, if asked), in slices that see a stop; false once stopping. */
    private boolean idle(long cursor, Duration wait, boolean wakeOnEntries) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return true;
            Duration slice = Duration.ofNanos(Math.min(left, STOP_CHECK.toNanos()));
            if (wakeOnEntries) {
                if (journal.await(cursor, slice)) return running;
            } else if (!sleep(slice)) {
                return false;
            }
        }
        return false;
    }

    private Optional<Change.Entry> entry(Webhook w, long seq) {
        return queue.next(w, seq - 1, 1).items().stream().filter(e -> e.seq() == seq).findFirst();
    }

    /** One attempt's result: success, the answer's status code (null without one), what went wrong, how long. */
    private record Attempt(boolean ok, Integer status, String error, long nanos) {}

    private Attempt attempt(Webhook w, String id, Change.Entry entry) {
        long started = System.nanoTime();
        URI url = URI.create(w.url());
        Optional<String> refused = targets.refusal(url);
        if (refused.isPresent()) return new Attempt(false, null, "the URL " + refused.get(), System.nanoTime() - started);
        byte[] body = body(entry);
        long timestamp = queue.now() / 1000;
        HttpRequest request = HttpRequest.newBuilder(url).timeout(options.attemptTimeout())
                .header("content-type", "application/json")
                .header("user-agent", "Mailroom-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(w.signingSecrets(queue.now()), id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            return new Attempt(ok, status, ok ? null : "answered HTTP " + status, System.nanoTime() - started);
        } catch (HttpTimeoutException e) {
            return new Attempt(false, null, "no answer within " + options.attemptTimeout().toSeconds() + " s",
                    System.nanoTime() - started);
        } catch (IOException e) {
            return new Attempt(false, null, "cannot deliver: " + e, System.nanoTime() - started);
        } catch (InterruptedException e) {
            // Not recorded: the entry is delivered again (same id) by whichever node holds the lease next.
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** The node stops in the middle of an attempt. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopping", null, false, false);
        }
    }

    /** The delivery after an attempt: succeeded, or pending until its next retry, or failed once they ran out. */
    private WebhookDelivery next(WebhookDelivery d, Attempt a, boolean retryable) {
        int attempts = d.attempts() + 1;
        long now = queue.now();
        List<Duration> schedule = options.retrySchedule();
        Status status;
        Long nextAt = null;
        if (a.ok()) {
            status = Status.SUCCEEDED;
        } else if (!retryable || attempts > schedule.size()) {
            status = Status.FAILED;
        } else {
            status = Status.PENDING;
            // Up to a tenth either way, so that receivers coming back are not hit by every retry at once.
            double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
            nextAt = now + (long) (schedule.get(attempts - 1).toMillis() * jitter);
        }
        metrics.attempted(status == Status.SUCCEEDED ? "succeeded" : status == Status.PENDING ? "retrying" : "failed", a.nanos());
        return new WebhookDelivery(d.id(), d.webhookId(), d.seq(), d.eventType(), status, attempts, a.status(),
                a.error() == null ? null : mailroom.directory.Text.cut(a.error(), 500), now, nextAt, d.createdAt());
    }

    private static Webhook healthy(Webhook w) {
        return new Webhook(w.id(), w.tenantKey(), w.url(), w.events(), w.description(), w.enabled(), w.disabledReason(), null,
                w.secret(), w.previousSecret(), w.previousUntil(), w.cursorSeq(), w.createdAt(), w.updatedAt());
    }

    private Health health(Webhook w, Attempt a) {
        if (a.ok()) return Health.HEALTHY;
        long since = w.failingSince() == null ? queue.now() : w.failingSince();
        return queue.now() - since >= options.disableAfter().toMillis() ? Health.DISABLED : Health.FAILING;
    }

    private String disabledReason(Webhook w) {
        long since = w.failingSince() == null ? queue.now() : w.failingSince();
        return "deliveries failing since " + Instant.ofEpochMilli(since);
    }

    private static byte[] body(Change.Entry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", EventTypes.of(entry.change()));
        body.put("timestamp", Instant.ofEpochMilli(entry.change().time()).toString());
        body.put("data", JournalEntries.view(entry));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook payload", e);
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
