package mailroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for what no HTTP client will send (bodies hiding further
 * requests, half-sent headers, odd request lines) and for seeing every response and the connection's end.
 */
public final class RawHttp implements AutoCloseable {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    private final Socket socket;
    private Thread writer;

    public RawHttp(int port) {
        try {
            this.socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What came back: the raw text, the status of each response in it, and whether the server closed. */
    public record Received(String text, List<Integer> statuses, boolean closedByServer) {
        /** The body of the first response (everything after its header section, up to any next status line). */
        public String firstBody() {
            int start = text.indexOf("\r\n\r\n");
            if (start < 0) return "";
            String rest = text.substring(start + 4);
            Matcher next = STATUS_LINE.matcher(rest);
            return next.find() ? rest.substring(0, next.start()) : rest;
        }

        /** A header of the first response, or null. */
        public String firstHeader(String name) {
            int end = text.indexOf("\r\n\r\n");
            for (String line : (end < 0 ? text : text.substring(0, end)).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }
    }

    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes the bytes on another thread, so that answers are read while a large body is still going out;
     * a server that stops reading (and closes) makes the rest of the write fail, which is not an error here.
     */
    public RawHttp send(byte[] bytes) {
        Thread previous = writer;
        writer = Thread.ofVirtual().start(() -> {
            try {
                if (previous != null) previous.join();
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
            } catch (IOException | InterruptedException e) {
                // the server closed its side before taking everything
            }
        });
        return this;
    }

    /** Reads until the server closes the connection or nothing arrives for {@code quietMillis}. */
    public Received receive(int quietMillis) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        boolean closed = false;
        try {
            socket.setSoTimeout(quietMillis);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // quiet for long enough: whatever was coming has come
        } catch (IOException e) {
            // a reset also ends the connection
            closed = true;
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        List<Integer> statuses = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(text);
        while (m.find()) statuses.add(Integer.parseInt(m.group(1)));
        return new Received(text, statuses, closed);
    }

    /** True once the server has closed the connection, waiting at most {@code millis}. */
    public boolean closedWithin(long millis) {
        return receive((int) millis).closedByServer();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
