package mailroom.http;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/**
 * Bucket4j's time read from the server's clock instead of the JVM's nanosecond timer, so that every limiter's
 * windows move with it (a sandbox's clock moves on demand, docs/sandbox.md).
 */
public final class ClockTimeMeter implements TimeMeter {
    private final Clock clock;

    public ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
