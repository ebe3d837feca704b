package mailroom.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's clock in sandbox mode: the real clock plus an offset that {@code POST /sandbox/v1/clock} moves,
 * so that every part reading it (token expiry, service-account expiry, rate-limit windows, journal times)
 * moves with it. It keeps ticking at the real clock's pace.
 */
public final class SandboxClock extends Clock {
    private final Clock base;
    private final AtomicLong offsetMillis;

    public SandboxClock(Clock base) {
        this(base, new AtomicLong());
    }

    private SandboxClock(Clock base, AtomicLong offsetMillis) {
        this.base = base;
        this.offsetMillis = offsetMillis;
    }

    /** Moves the clock forward (or back, when negative) by the duration; returns the new time. */
    public Instant advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
        return instant();
    }

    /** Sets the clock to the instant (it goes on ticking from there); returns the new time. */
    public Instant set(Instant at) {
        offsetMillis.set(at.toEpochMilli() - base.millis());
        return instant();
    }

    /** Back to the real time. */
    public Instant reset() {
        offsetMillis.set(0);
        return instant();
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new SandboxClock(base.withZone(zone), offsetMillis);
    }
}
