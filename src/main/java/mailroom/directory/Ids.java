package mailroom.directory;

import java.security.SecureRandom;
import java.util.UUID;

/** Opaque identifiers: short ids that sort by when they were made, random ones, and UUIDs where a door requires them. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    /** The short ids' time is counted from 2020-01-01T00:00:00Z: eight characters of milliseconds last until 2109. */
    static final long EPOCH_MILLIS = 1_577_836_800_000L;
    static final int TIME_CHARS = 8;
    static final int COUNT_CHARS = 8;
    /** The values of the count's characters: 36^8, exact in a double. */
    private static final long COUNT_VALUES = (long) Math.pow(ALPHABET.length, COUNT_CHARS);

    private static long lastMillis = Long.MIN_VALUE;
    private static long lastCount;

    private Ids() {}

    /**
     * 16 characters of [0-9a-z]: eight of the milliseconds since {@link #EPOCH_MILLIS}, then eight that start at a
     * random value in each millisecond and count up within it. Ids made one after another sort together, so an insert
     * lands on the last page of the index on its id column, as UUIDs of version 7 do; random ids sent every create to
     * another page of an index the size of the tenant, and a group commit wrote and journalled each of those pages.
     * Ids of one process never repeat (a clock set back keeps counting in the last millisecond it saw); two nodes
     * collide only if they make ids in the same millisecond whose counts, started at random among 2.8 · 10^12, meet.
     */
    public static String shortId() {
        return shortIdAt(System.currentTimeMillis());
    }

    /** {@link #shortId()} as made when the clock reads {@code unixMillis}. */
    static String shortIdAt(long unixMillis) {
        long millis;
        long count;
        synchronized (Ids.class) {
            millis = Math.max(unixMillis - EPOCH_MILLIS, lastMillis);
            if (millis == lastMillis && lastCount + 1 < COUNT_VALUES) {
                count = lastCount + 1;
            } else {
                if (millis == lastMillis) millis++; // a millisecond's counts used up: borrow the next one
                // Start in the lower half, so that a millisecond has room for ids to count up from there.
                count = Math.floorMod(RANDOM.nextLong(), COUNT_VALUES / 2);
            }
            lastMillis = millis;
            lastCount = count;
        }
        char[] out = new char[TIME_CHARS + COUNT_CHARS];
        base36(millis, out, 0, TIME_CHARS);
        base36(count, out, TIME_CHARS, COUNT_CHARS);
        return new String(out);
    }

    /** 16 random characters of [0-9a-z], about 82 bits: for what must not tell when it was made or what came next. */
    public static String randomShortId() {
        char[] out = new char[16];
        for (int i = 0; i < out.length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        return new String(out);
    }

    private static void base36(long value, char[] out, int from, int chars) {
        for (int i = from + chars - 1; i >= from; i--) {
            out[i] = ALPHABET[(int) (value % 36)];
            value /= 36;
        }
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
