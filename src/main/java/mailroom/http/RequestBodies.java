package mailroom.http;

import java.io.IOException;
import java.io.InputStream;
import io.helidon.webserver.http.ServerRequest;

/** Reads request bodies with a hard size cap, so that a huge body costs us nothing and changes nothing. */
public final class RequestBodies {
    /** Largest body any door accepts: 1 MiB (a 1000-item Hybridbox bulk request is about 100 KiB). */
    public static final int MAX_BYTES = 1024 * 1024;

    private RequestBodies() {}

    /** Thrown when the body is larger than {@link #MAX_BYTES}. */
    public static final class TooLarge extends Exception {
        public TooLarge() {
            super("request body exceeds " + MAX_BYTES + " bytes", null, false, false);
        }
    }

    public static byte[] read(ServerRequest req) throws IOException, TooLarge {
        if (!req.content().hasEntity()) return new byte[0];
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > MAX_BYTES) throw new TooLarge();
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) throw new TooLarge();
            return body;
        }
    }
}
