package mailroom.directory;

/**
 * How Mailroom measures text: in characters (Unicode code points), as pydantic does, not UTF-16 units; and the
 * one table of how long each free-text field of the directory may be (docs/compatibility.md lists them). Where a
 * platform documents a maximum it is that one; elsewhere it is ours, large enough for any real name and small
 * enough that a page of 200 objects stays a few hundred KiB.
 */
public final class Text {
    /** Mail group {@code name} (no platform documents a maximum). */
    public static final int MAIL_GROUP_NAME = 255;
    /** Mail group {@code description} (no platform documents a maximum). */
    public static final int MAIL_GROUP_DESCRIPTION = 1024;
    /** Public mailbox {@code name} (none documented). */
    public static final int PUBLIC_MAILBOX_NAME = 255;
    /** A user mailbox's {@code first_name} and {@code last_name} (none documented). */
    public static final int MAILBOX_NAME = 128;
    /** A user's (contact's) name; a seeded mailbox takes its first and last name from it, cut to {@link #MAILBOX_NAME}. */
    public static final int USER_NAME = 255;
    /** A department's name. */
    public static final int DEPARTMENT_NAME = 255;
    /** A tenant's name. */
    public static final int TENANT_NAME = 255;
    /** A service account's {@code name}: 1-120, as the mailbox platform documents it. */
    public static final int SERVICE_ACCOUNT_NAME = 120;
    /** An operator token's name. */
    public static final int OPERATOR_TOKEN_NAME = 120;
    /**
     * Ids a seed or an operator chooses (app id, user id, open id, union id, department ids): the platforms' own are
     * a few dozen characters; the mail platform documents 1-255 for its path ids.
     */
    public static final int CHOSEN_ID = 255;

    private Text() {}

    /** The number of characters; a character outside the BMP (e.g. an emoji) counts once, not twice. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * The value, if it has at most {@code max} characters (null passes: "not given" is the caller's business);
     * otherwise an INVALID_ARGUMENT refusal on {@code field}, "name must be at most 255 characters".
     */
    public static String requireAtMost(String field, String value, int max) {
        if (value != null && value.length() > max && length(value) > max) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " must be at most " + max + " characters");
        }
        return value;
    }

    /** The first {@code max} characters of the value (never a half of a surrogate pair). */
    public static String cut(String value, int max) {
        return length(value) <= max ? value : value.substring(0, value.offsetByCodePoints(0, max));
    }
}
