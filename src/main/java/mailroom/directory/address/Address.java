package mailroom.directory.address;

import java.util.Locale;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;

/**
 * A normalised mail address: lower-cased, ASCII dot-atom local part of 1–64 chars, a plausible domain. The rules
 * are scanned character by character rather than matched with regular expressions: a users/query parses every
 * asked address, and the regular expressions were almost 3 % of its CPU ({@code AddressTest} holds the rules
 * against the expressions they replaced).
 */
public record Address(String localPart, String domain) {
    /** The characters of a dot-atom's atoms besides lower-case letters and digits (RFC 5322 atext). */
    private static final String ATOM_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";

    /** Parses and normalises, or throws INVALID_ADDRESS naming the field. */
    public static Address parse(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw DirectoryException.ofField(Reason.INVALID_ADDRESS, field, " is required");
        }
        String trimmed = raw.trim();
        // ASCII is checked before lower-casing: Unicode case folding would turn e.g. a Kelvin sign into "k".
        if (!isAscii(trimmed)) {
            throw DirectoryException.ofField(Reason.INVALID_ADDRESS, field, " is not a valid mail address");
        }
        String value = trimmed.toLowerCase(Locale.ROOT);
        int at = value.lastIndexOf('@');
        if (at <= 0 || at != value.indexOf('@') || at == value.length() - 1) {
            throw DirectoryException.ofField(Reason.INVALID_ADDRESS, field, " is not a valid mail address");
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (!isDotAtom(local) || !isDomain(domain)) {
            throw DirectoryException.ofField(Reason.INVALID_ADDRESS, field, " is not a valid mail address");
        }
        return new Address(local, domain);
    }

    /**
     * How a client's reference to an owner (an id or an address) is looked up: trimmed, addresses
     * lower-cased. Empty when it is not ASCII — every id and address is, and lower-casing such a
     * reference could turn it into another one (a Kelvin sign becomes "k").
     */
    public static java.util.Optional<String> lookupKey(String ref) {
        String key = ref == null ? "" : ref.trim();
        if (!isAscii(key)) return java.util.Optional.empty();
        return java.util.Optional.of(key.contains("@") ? key.toLowerCase(Locale.ROOT) : key);
    }

    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    /** 1–64 characters of lower-case atoms joined by single dots. */
    public static boolean isDotAtom(String local) {
        int n = local.length();
        if (n == 0 || n > 64) return false;
        boolean atomStart = true;
        for (int i = 0; i < n; i++) {
            char c = local.charAt(i);
            if (c == '.') {
                if (atomStart) return false;
                atomStart = true;
            } else if (isLowerAlnum(c) || ATOM_SYMBOLS.indexOf(c) >= 0) {
                atomStart = false;
            } else {
                return false;
            }
        }
        return !atomStart;
    }

    /**
     * At most 253 characters of two or more dot-separated labels of lower-case letters, digits and inner hyphens,
     * at most 63 characters each; the last label starts with a letter and has at least two characters.
     */
    public static boolean isDomain(String domain) {
        int n = domain.length();
        if (n == 0 || n > 253) return false;
        int labels = 0;
        int start = 0;
        while (true) {
            int dot = domain.indexOf('.', start);
            int end = dot < 0 ? n : dot;
            labels++;
            boolean last = dot < 0;
            if (!isLabel(domain, start, end, last)) return false;
            if (last) return labels >= 2;
            start = dot + 1;
        }
    }

    private static boolean isLabel(String s, int from, int to, boolean topLevel) {
        int length = to - from;
        if (length < (topLevel ? 2 : 1) || length > 63) return false;
        char first = s.charAt(from);
        if (topLevel ? !(first >= 'a' && first <= 'z') : !isLowerAlnum(first)) return false;
        if (!isLowerAlnum(s.charAt(to - 1))) return false;
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '-') return false;
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
