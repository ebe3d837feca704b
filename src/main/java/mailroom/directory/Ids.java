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

    public static String uuid() {
        return UUID.randomUUID().toString();
    }
}
