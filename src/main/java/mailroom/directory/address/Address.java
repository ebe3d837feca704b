package mailroom.directory.address;

import java.util.Locale;
import java.util.regex.Pattern;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;

/** A normalised mail address: lower-cased, ASCII dot-atom local part of 1–64 chars, a plausible domain. */
public record Address(String localPart, String domain) {
    private static final Pattern ATOM = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+");
    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

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
        return s.chars().allMatch(ch -> ch < 0x80);
    }

    public static boolean isDotAtom(String local) {
        if (local.isEmpty() || local.length() > 64) return false;
        for (String atom : local.split("\\.", -1)) {
            if (!ATOM.matcher(atom).matches()) return false;
        }
        return true;
    }

    public static boolean isDomain(String domain) {
        return DOMAIN.matcher(domain).matches();
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
