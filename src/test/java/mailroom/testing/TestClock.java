package mailroom.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests control: moved by hand with {@link #advance}, and optionally one millisecond further on
 * every read, so that a needless rewrite of a timestamp shows up as a changed value.
 */
public final class TestClock extends Clock {
    private final AtomicLong millis;
    private final boolean tickOnRead;

    private TestClock(Instant start, boolean tickOnRead) {
        this.millis = new AtomicLong(start.toEpochMilli());
        this.tickOnRead = tickOnRead;
    }

    /** Stands still between {@link #advance} calls. */
    public static TestClock movable(Instant start) {
        return new TestClock(start, false);
    }

    /** Advances one millisecond on every read. */
    public static TestClock ticking(Instant start) {
        return new TestClock(start, true);
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return tickOnRead ? millis.incrementAndGet() : millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
