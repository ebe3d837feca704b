package mailroom.http;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Request ids in Feishu's log-id shape: 14-digit UTC timestamp and 20 upper-case hex characters. */
public final class LogIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LogIds() {}

    public static String next() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
