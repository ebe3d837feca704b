package mailroom.http;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies with a hard size cap, so that a huge body costs us nothing and changes nothing. The
 * cap is the route's: {@link #MAX_BYTES} unless the route declares its own (up to {@link #LARGEST_CAP}).
 */
public final class RequestBodies {
    /** Largest body a route accepts unless it declares more: 1 MiB (a 1000-item Hybridbox bulk request is about 100 KiB). */
    public static final int MAX_BYTES = 1024 * 1024;

    /** Largest cap a route may declare: 64 MiB (a CSV import of 100,000 rows of a few hundred bytes each). */
    public static final int LARGEST_CAP = 64 * 1024 * 1024;

    /**
     * How much of an oversized body is read and thrown away before the door answers, so that the client sees
     * the answer rather than a connection reset for the bytes it was still sending.
     */
    public static final long DISCARD_LIMIT = 16L * 1024 * 1024;

    /**
     * Largest body the server lets through to any door (Helidon refuses a longer one before routing): past the
     * largest cap by what is discarded, so that a body just over a route's cap still gets that door's answer.
     */
    public static final long SERVER_LIMIT = LARGEST_CAP + DISCARD_LIMIT;

    private RequestBodies() {}

    /** Thrown when the body is larger than its route's cap; what was sent of it has been discarded. */
    public static final class TooLarge extends Exception {
        private final int cap;

        public TooLarge(int cap) {
            super("request body exceeds " + cap + " bytes", null, false, false);
            this.cap = cap;
        }

        /** The cap the body exceeded, in bytes. */
        public int cap() {
            return cap;
        }
    }

    /** The body under the default cap, {@link #MAX_BYTES}. */
    public static byte[] read(ServerRequest req) throws IOException, TooLarge {
        return read(req, MAX_BYTES);
    }

    /** The body, at most {@code cap} bytes; a longer one is discarded (up to {@link #DISCARD_LIMIT}) and refused. */
    public static byte[] read(ServerRequest req, int cap) throws IOException, TooLarge {
        if (cap < 0 || cap > LARGEST_CAP) throw new IllegalArgumentException("a body cap must be 0.." + LARGEST_CAP + ": " + cap);
        if (!req.content().hasEntity()) return new byte[0];
        long declared = req.headers().contentLength().orElse(-1);
        InputStream in = req.content().inputStream();
        if (declared > cap) {
            discard(in);
            throw new TooLarge(cap);
        }
        // A declared length (within the cap, as checked above; the server's framing ends the stream there) is read as
        // it is: asked for cap + 1 bytes, readNBytes starts with a 16 KB buffer and copies out of it, on every request,
        // for bodies of a few hundred bytes. A chunked body is read to one past the cap.
        byte[] body = in.readNBytes(declared >= 0 ? (int) declared : cap + 1);
        if (body.length > cap) {
            discard(in);
            throw new TooLarge(cap);
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
