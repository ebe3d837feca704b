package mailroom.http;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a hard size cap, so that a huge body costs us nothing and changes nothing. */
public final class RequestBodies {
    /** Largest body any door accepts: 1 MiB (a 1000-item Hybridbox bulk request is about 100 KiB). */
    public static final int MAX_BYTES = 1024 * 1024;

    /**
     * Largest body the server reads at all (Helidon refuses a longer one before any door). Up to this, the
     * rest of an oversized body is read and thrown away before the door answers, so that the client sees
     * the answer rather than a connection reset for the bytes it was still sending.
     */
    public static final long DISCARD_LIMIT = 16L * 1024 * 1024;

    private RequestBodies() {}

    /** Thrown when the body is larger than {@link #MAX_BYTES}; what was sent of it has been discarded. */
    public static final class TooLarge extends Exception {
        public TooLarge() {
            super("request body exceeds " + MAX_BYTES + " bytes", null, false, false);
        }
    }

    public static byte[] read(ServerRequest req) throws IOException, TooLarge {
        if (!req.content().hasEntity()) return new byte[0];
        long declared = req.headers().contentLength().orElse(-1);
        InputStream in = req.content().inputStream();
        if (declared > MAX_BYTES) {
            discard(in);
            throw new TooLarge();
        }
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            discard(in);
            throw new TooLarge();
        }
        in.close();
        return body;
    }

    /** Reads what is left, up to the limit; a stream that fails (or that Helidon cuts off) just ends it. */
    private static void discard(InputStream in) {
        byte[] sink = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while (total < DISCARD_LIMIT && (n = in.read(sink)) >= 0) total += n;
        } catch (IOException | RuntimeException e) {
            // the connection is closed after the answer anyway
        }
    }
}
