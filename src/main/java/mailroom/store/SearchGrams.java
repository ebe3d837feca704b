package mailroom.store;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The Java side of SQLite's index of five-character grams (ADR 0039): which searches it serves and the FTS5 query
 * that asks it. Its other side is the view {@code user_mailbox_grams} (migration V17), which writes each gram
 * hex-encoded as the query below spells it.
 */
final class SearchGrams {
    /** Characters (code points) per gram. */
    static final int LENGTH = 5;

    private SearchGrams() {}

    /**
     * Whether the index can serve the search: {@link #LENGTH} code points or more once lower-cased, no U+0000 (which
     * SQLite's LIKE reads as the end of the pattern) and no lone surrogate (which no stored text holds as such).
     */
    static boolean serves(String search) {
        String lower = search.toLowerCase(Locale.ROOT);
        return lower.codePointCount(0, lower.length()) >= LENGTH && lower.indexOf('\0') < 0 && wellFormed(lower);
    }

    /**
     * The FTS5 query: grams that cover the lower-cased search end to end without overlapping, the last one ending
     * where the search does, all of them required. A row that holds the search holds them all; the few that hold
     * them elsewhere are turned away by the list's LIKE.
     */
    static String query(String search) {
        int[] cps = search.toLowerCase(Locale.ROOT).codePoints().toArray();
        StringJoiner grams = new StringJoiner(" ");
        for (int at = 0; ; at += LENGTH) {
            int from = Math.min(at, cps.length - LENGTH);
            grams.add('"' + HexFormat.of().formatHex(new String(cps, from, LENGTH).getBytes(StandardCharsets.UTF_8)) + '"');
            if (from + LENGTH == cps.length) return grams.toString();
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
