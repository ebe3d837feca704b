package mailroom.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down the guessing of credentials (docs/adr/0011). Every key — an app id, a client address — may fail
 * {@code burst} times, then once more per {@code interval}: a Bucket4j bucket per key from which each failure
 * takes one token, successes take none. A key without a token left is refused by {@link #check} before the
 * credential is looked at, so a refused guess costs no PBKDF2 either. A failure is counted even when it takes
 * a bucket below zero (several guesses that passed {@link #check} together are each paid for, so a burst of
 * parallel requests does not buy more guesses), but never beyond {@code maxLockout} of debt.
 *
 * <p>Kept in this node's memory for at most {@code maxKeys} keys: the least recently failed key is forgotten
 * first, and a key whose bucket has filled up again is forgotten as soon as it is passed over, so the map holds
 * only keys with recent failures and an attacker cannot grow it without bound.
 */
public final class CredentialThrottle {
    /**
     * How hard to throttle: {@code burst} failures per key, then one more per {@code interval}; never refused
     * longer than {@code maxLockout} after the last failure; a proof ({@link #proven}) trusted for
     * {@code trustFor}; at most {@code maxKeys} keys and as many proofs remembered.
     */
    public record Policy(int burst, Duration interval, Duration maxLockout, Duration trustFor, int maxKeys) {
        /** The token endpoints': 10 failures, then one per 6 s (10 a minute), refused at most 15 minutes. */
        public static final Policy TOKEN_ENDPOINTS = new Policy(10, Duration.ofSeconds(6), Duration.ofMinutes(15),
                Duration.ofHours(24), 100_000);

        public Policy {
            if (burst < 1 || maxKeys < 1 || !interval.isPositive() || maxLockout.compareTo(interval) < 0 || trustFor.isNegative()) {
                throw new IllegalArgumentException("burst and maxKeys must be positive, interval positive and at most maxLockout");
            }
        }
    }

    private final Policy policy;
    private final Clock clock;
    private final long maxDebt;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets;
    /** When each proof was last given, in epoch millis. */
    private final Map<String, Long> proofs;

    public CredentialThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.maxDebt = policy.maxLockout().toNanos() / policy.interval().toNanos() - 1;
        this.time = new ClockTimeMeter(clock);
        this.buckets = lru(policy.maxKeys());
        this.proofs = lru(policy.maxKeys());
    }

    private static <V> Map<String, V> lru(int maxKeys) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Every key's failures and proofs forgotten, as at start (a sandbox reset). */
    public synchronized void forget() {
        buckets.clear();
        proofs.clear();
    }

    /** The failures a key may have before it is refused: what the Feishu door reports as the limit. */
    public int burst() {
        return policy.burst();
    }

    /**
     * Whether an attempt on these keys may go ahead: empty if so, otherwise the whole seconds (at least 1) until
     * every refused key may try again. Null keys are skipped. Checking takes nothing: only {@link #failed} does.
     */
    public synchronized Optional<Long> check(String... keys) {
        forgetRefilled();
        long waitNanos = 0;
        for (String key : keys) {
            Bucket bucket = key == null ? null : buckets.get(key);
            if (bucket == null) continue;
            long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            waitNanos = Math.max(waitNanos, nanos);
        }
        if (waitNanos == 0) return Optional.empty();
        return Optional.of(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }

    /** Counts one failed attempt against every (non-null) key. */
    public synchronized void failed(String... keys) {
        for (String key : keys) {
            if (key == null) continue;
            Bucket bucket = buckets.computeIfAbsent(key, k -> newBucket());
            if (bucket.getAvailableTokens() > -maxDebt) bucket.consumeIgnoringRateLimits(1);
        }
    }

    /**
     * Remembers that a client has just proved a credential — e.g. the pair of an app id and the address that
     * gave the app's right secret — so that a caller may, for {@link Policy#trustFor}, check that client against a
     * key of its own (the pair) instead of the shared ones: keys locked by someone else's guesses then do not lock
     * out the clients known to hold the secret.
     */
    public synchronized void proven(String proof) {
        proofs.put(proof, clock.millis());
    }

    /** Whether {@link #proven} was told this proof within {@link Policy#trustFor}. */
    public synchronized boolean isProven(String proof) {
        Long at = proofs.get(proof);
        if (at == null) return false;
        if (clock.millis() - at < policy.trustFor().toMillis()) return true;
        proofs.remove(proof);
        return false;
    }

    /** How many keys are remembered now (for tests and metrics). */
    public synchronized int size() {
        return buckets.size();
    }

    /** Drops the least recently used keys whose buckets are full again: they are as good as never seen. */
    private void forgetRefilled() {
        Iterator<Bucket> eldest = buckets.values().iterator();
        for (int i = 0; i < 2 && eldest.hasNext(); i++) {
            if (eldest.next().getAvailableTokens() >= policy.burst()) eldest.remove();
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(policy.burst()).refillGreedy(1, policy.interval()).build())
                .withCustomTimePrecision(time)
                .build();
    }
}
