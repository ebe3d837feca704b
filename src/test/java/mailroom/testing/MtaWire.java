package mailroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw client of the MTA listeners for tests: writes exactly the bytes given and reads back exactly one
 * socketmap netstring or one policy answer, framing included, so tests can compare wire bytes.
 */
public final class MtaWire implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private MtaWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static MtaWire connect(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            return new MtaWire(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A socketmap request, framed: {@code netstring("domain acme.test")} is {@code "16:domain acme.test,"}. */
    public static String netstring(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length + ":" + payload + ",";
    }

    public MtaWire send(String raw) {
        try {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one socketmap request and answers the reply exactly as it came, e.g. {@code "9:NOTFOUND ,"}. */
    public String lookup(String map, String key) {
        return send(netstring(map + " " + key)).readNetstring();
    }

    /** One netstring as it came over the wire, length and comma included. */
    public String readNetstring() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int length = 0;
        int b;
        while ((b = read()) != ':') {
            if (b < 0) throw new IllegalStateException("connection closed after '" + raw.toString(StandardCharsets.UTF_8) + "'");
            raw.write(b);
            length = length * 10 + (b - '0');
        }
        raw.write(':');
        for (int i = 0; i <= length; i++) {
            b = read();
            if (b < 0) throw new IllegalStateException("connection closed inside a netstring");
            raw.write(b);
        }
        return raw.toString(StandardCharsets.UTF_8);
    }

    /** Sends one policy request (attribute lines, then the empty line) and answers the reply exactly. */
    public String policy(String... attributes) {
        StringBuilder request = new StringBuilder();
        for (String a : attributes) request.append(a).append('\n');
        return send(request.append('\n').toString()).readPolicyAnswer();
    }

    /** One policy answer as it came: its lines up to and including the empty line. */
    public String readPolicyAnswer() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = read();
            if (b < 0) throw new IllegalStateException("connection closed after '" + raw.toString(StandardCharsets.UTF_8) + "'");
            raw.write(b);
            if (b == '\n' && previous == '\n') return raw.toString(StandardCharsets.UTF_8);
            previous = b;
        }
    }

    /** Whether the server has closed the connection (end of stream or reset) with nothing more to read. */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int read() {
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
