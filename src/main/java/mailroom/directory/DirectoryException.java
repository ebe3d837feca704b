package mailroom.directory;

/** A refused directory operation: carries the protocol-neutral reason and a human message. */
public final class DirectoryException extends RuntimeException {
    private final Reason reason;
    private final String field;

    public DirectoryException(Reason reason, String message) {
        this(reason, message, null);
    }

    public DirectoryException(Reason reason, String message, String field) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The request field that was wrong, when one was; doors use it for field-level error details. */
    public String field() {
        return field;
    }
}
