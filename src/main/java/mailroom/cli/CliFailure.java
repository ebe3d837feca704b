package mailroom.cli;

/**
 * Why an online command stops: the one line it prints on stderr (after {@code mailroom: }) and the exit code a script
 * can tell apart (docs/operations.md, "Exit codes of the online commands").
 */
final class CliFailure extends RuntimeException {
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 7;
    static final int UNAUTHORIZED = 8;
    static final int NOT_FOUND = 9;
    static final int CONFLICT = 10;
    static final int VALIDATION = 11;
    static final int RATE_LIMITED = 12;
    static final int ROWS_FAILED = 13;

    private final int exit;

    CliFailure(int exit, String line) {
        super(line, null, false, false);
        this.exit = exit;
    }

    int exit() {
        return exit;
    }

    /** The exit code of an HTTP status the operator door answered with. */
    static int exitOf(int status) {
        return switch (status) {
            case 400, 413, 415 -> VALIDATION;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 429 -> RATE_LIMITED;
            default -> UNEXPECTED;
        };
    }
}
