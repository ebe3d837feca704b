package mailroom.directory;

/** A refused directory operation: carries the protocol-neutral reason and a human message. */
public final class DirectoryException extends RuntimeException {
    private final Reason reason;
    private final String field;
    private final boolean namesFieldFirst;

    public DirectoryException(Reason reason, String message) {
        this(reason, message, null);
    }

    public DirectoryException(Reason reason, String message, String field) {
        this(reason, message, field, false);
    }

    private DirectoryException(Reason reason, String message, String field, boolean namesFieldFirst) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
        this.namesFieldFirst = namesFieldFirst;
    }

    /**
     * A refusal whose message is the field's path followed by {@code rest} ("address is required"), so
     * that a door can say the same with its own name for the field.
     */
    public static DirectoryException ofField(Reason reason, String field, String rest) {
        return new DirectoryException(reason, field + rest, field, true);
    }

    /** Whether the message starts with the field's path, as {@link #ofField} writes it. */
    public boolean namesFieldFirst() {
        return namesFieldFirst;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The neutral path of the field that was wrong ("members[1].user"), when one was; each door renders it
     * in its own wire names.
     */
    public String field() {
        return field;
    }
}
