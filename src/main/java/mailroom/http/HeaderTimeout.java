package mailroom.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request headers do not arrive within the timeout after its request line.
 * Helidon 4.2 has no such limit: its idle timeout only covers a connection waiting for a request line,
 * and the socket read timeout restarts with every byte, so a client sending a header byte now and then
 * would hold a connection for ever. Helidon reports the request line and the end of the headers to
 * this listener; a sweeper closes the socket of every connection that is between the two for too long.
 */
public final class HeaderTimeout implements Http1ConnectionListener, AutoCloseable {
    private final long timeoutNanos;
    private final Map<ConnectionContext, Long> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mailroom-header-timeout");
        t.setDaemon(true);
        return t;
    });

    public HeaderTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        // A tenth of the timeout (at least 50 ms) between sweeps: a connection is closed at most 10% late.
        long period = Math.max(50, timeout.toMillis() / 10);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        waiting.put(ctx, System.nanoTime());
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        waiting.remove(ctx);
    }

    private void sweep() {
        long now = System.nanoTime();
        waiting.forEach((ctx, since) -> {
            if (now - since > timeoutNanos && waiting.remove(ctx, since)) {
                try {
                    ctx.serverSocket().close();
                } catch (RuntimeException e) {
                    // already closed by the client or by Helidon
                }
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        waiting.clear();
    }
}
