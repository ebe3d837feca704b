package mailroom.testing;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One SMTP conversation, command by command, so a test can assert the reply code Postfix gives at
 * each stage (AUTH, MAIL, RCPT, DATA) instead of only whether the whole message went through.
 */
public final class SmtpClient implements Closeable {
    /** One server reply: its code and its lines' text joined by newlines (without the codes). */
    public record Reply(int code, String text) {
        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final Reply greeting;

    private SmtpClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        greeting = read();
    }

    /** Connects and says EHLO; the greeting and the EHLO reply must both be positive. */
    public static SmtpClient connect(int port) {
        try {
            SmtpClient c = new SmtpClient(port);
            if (c.greeting.code() != 220) throw new AssertionError("greeting: " + c.greeting);
            Reply ehlo = c.command("EHLO client.test");
            if (ehlo.code() != 250) throw new AssertionError("EHLO: " + ehlo);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** AUTH PLAIN with the login and password (235 when Dovecot accepts them). */
    public Reply auth(String login, String password) {
        String token = Base64.getEncoder().encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    public Reply mail(String from) {
        return command("MAIL FROM:<" + from + ">");
    }

    public Reply rcpt(String to) {
        return command("RCPT TO:<" + to + ">");
    }

    /** DATA with the given header block and body; answers the reply after the final dot. */
    public Reply data(String headersAndBody) {
        Reply go = command("DATA");
        if (go.code() != 354) return go;
        StringBuilder text = new StringBuilder();
        for (String line : headersAndBody.split("\r?\n", -1)) {
            text.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        text.append(".\r\n");
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply command(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) throw new IOException("connection closed after " + lines);
            if (line.length() < 3) throw new IOException("not an SMTP reply: " + line);
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), String.join("\n", lines));
            }
        }
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed()) {
                try {
                    command("QUIT");
                } catch (UncheckedIOException ignored) {
                    // the server may already have hung up; the socket is closed below either way
                }
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
