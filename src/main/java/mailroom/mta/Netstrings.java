package mailroom.mta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Netstring framing as socketmap uses it: {@code <len>:<bytes>,} with the length in decimal bytes.
 * A frame that breaks the framing leaves the stream out of step, so it is reported as such.
 */
final class Netstrings {
    /** Why a frame could not be read; after any of these the rest of the stream cannot be trusted. */
    static final class FramingException extends IOException {
        FramingException(String reason) {
            super(reason);
        }
    }

    private Netstrings() {}

    /**
     * The next frame's payload, or null when the stream ends cleanly between frames. Refuses a length
     * over {@code maxLength} before reading the payload, so a huge declared length costs nothing.
     */
    static byte[] read(InputStream in, int maxLength) throws IOException {
        int b = in.read();
        if (b < 0) return null;
        long length = 0;
        int digits = 0;
        while (b != ':') {
            if (b < 0) throw new FramingException("truncated netstring");
            if (b < '0' || b > '9') throw new FramingException("malformed netstring length");
            // a netstring's length has no leading zeros ("0:," is the empty one)
            if (digits == 1 && length == 0) throw new FramingException("malformed netstring length");
            length = length * 10 + (b - '0');
            if (++digits > 10 || length > maxLength) throw new FramingException("request too large");
            b = in.read();
        }
        if (digits == 0) throw new FramingException("malformed netstring length");
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) throw new FramingException("truncated netstring");
        int comma = in.read();
        if (comma != ',') throw new FramingException(comma < 0 ? "truncated netstring" : "netstring without its comma");
        return payload;
    }

    static void write(OutputStream out, String reply) throws IOException {
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        out.write((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write(',');
    }
}
