package mailroom.http;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids in Feishu's log-id shape: 14-digit UTC timestamp and 20 upper-case hex characters. The id
 * names a request in logs and answers and guards nothing, so it needs uniqueness, not a cryptographic
 * generator: one shared SecureRandom was a lock every request of every door queued on.
 */
public final class LogIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private LogIds() {}

    public static String next() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + HEX.formatHex(bytes);
    }
}
