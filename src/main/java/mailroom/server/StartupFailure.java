package mailroom.server;

/**
 * Why the server could not start, in one line a user can act on (what and where); the cause is kept for
 * {@code serve --debug}. The kind lets the command line exit with a code a script can tell apart.
 */
public final class StartupFailure extends RuntimeException {
    /** What went wrong: the seed, the database, or the listening sockets. */
    public enum Kind { SEED, DATABASE, LISTEN, ADMIN_TOKEN }

    private final Kind kind;

    public StartupFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The deepest cause's message, first line only: the part that names the actual problem. A driver's
     * SQLException wins over the socket error beneath it, which has lost the host and port.
     */
    public static String reason(Throwable e) {
        Throwable root = e;
        Throwable sql = null;
        while (true) {
            if (root instanceof java.sql.SQLException) sql = root;
            if (root.getCause() == null || root.getCause() == root) break;
            root = root.getCause();
        }
        if (sql != null && sql.getMessage() != null && !sql.getMessage().isBlank()) root = sql;
        String message = root.getMessage();
        if (root instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (root instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (root instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + " is a file, not a directory";
        if (message == null || message.isBlank()) return root.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message).strip();
    }
}
