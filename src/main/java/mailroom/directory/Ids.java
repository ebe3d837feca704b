package mailroom.directory;

import java.security.SecureRandom;
import java.util.UUID;

/** Opaque identifiers: short random ids, and UUIDs where a door requires them. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    /** 16 characters of [0-9a-z]: about 82 bits, enough that collisions never matter. */
    public static String shortId() {
        char[] out = new char[16];
        for (int i = 0; i < out.length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        return new String(out);
    }

    /**
     * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made one after another
     * sort together, so the indexes on them grow at one end like the sequence numbers do; random (version 4)
     * ids sent every insert of a bulk load to a different page of an index the size of the tenant.
     */
    public static String uuid() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
