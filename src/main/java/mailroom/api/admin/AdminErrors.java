package mailroom.api.admin;

import java.util.EnumMap;
import java.util.Map;
import mailroom.api.FieldNames;
import mailroom.directory.Reason;

/**
 * The one table of the operator door's answers: RFC 9457 problem types (slug, title, status), and which
 * problem each directory reason is. Checked complete when the class loads.
 */
public final class AdminErrors {
    /** The problem types of the door; the slug is the last part of {@code urn:mailroom:problem:<slug>}. */
    public enum Problem {
        VALIDATION("validation", "The request is not valid", 400),
        UNAUTHORIZED("unauthorized", "A valid operator token is required", 401),
        FORBIDDEN("forbidden", "The operator token may not do this", 403),
        NOT_FOUND("not-found", "Not found", 404),
        METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
        CONFLICT("conflict", "The request conflicts with the directory", 409),
        LIMIT_REACHED("limit-reached", "A limit of the tenant is reached", 409),
        PAYLOAD_TOO_LARGE("payload-too-large", "The request body is too large", 413),
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "The request body has the wrong content type", 415),
        RATE_LIMITED("rate-limited", "Too many failed attempts", 429),
        INTERNAL("internal", "Internal server error", 500);

        private final String slug;
        private final String title;
        private final int status;

        Problem(String slug, String title, int status) {
            this.slug = slug;
            this.title = title;
            this.status = status;
        }

        public String type() {
            return "urn:mailroom:problem:" + slug;
        }

        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Why one row of a CSV import was not applied: stable snake_case codes a script can act on (ADR 0016). The
     * directory's reasons map to them in {@link #importCode}; the door's own row checks use INVALID_FIELD.
     */
    public enum ImportCode {
        /** A value is missing or malformed, or the row does not fit the header. */
        INVALID_FIELD,
        /** What the row names (a group, user, department, owner address, domain) does not exist. */
        NOT_FOUND,
        /** The address belongs to another owner (or already is an alias elsewhere). */
        ADDRESS_TAKEN,
        /** A limit of the tenant (groups, members, aliases, mailboxes) would be exceeded. */
        LIMIT_REACHED,
        /** The row contradicts the directory otherwise (a member cycle, an id another user holds, ...). */
        CONFLICT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Map<Reason, Problem> TABLE = new EnumMap<>(Reason.class);
    private static final Map<Reason, ImportCode> IMPORT_CODES = new EnumMap<>(Reason.class);

    static {
        for (Reason r : new Reason[]{Reason.INVALID_ARGUMENT, Reason.INVALID_ADDRESS, Reason.MEMBER_CYCLE,
            Reason.GEO_NOT_ALLOWED_FOR_APP, Reason.GEO_NOT_ENABLED, Reason.GEO_NOT_IN_LIST}) {
            TABLE.put(r, Problem.VALIDATION);
        }
        for (Reason r : new Reason[]{Reason.DOMAIN_NOT_FOUND, Reason.ALIAS_NOT_FOUND, Reason.MAIL_GROUP_NOT_FOUND,
            Reason.MEMBER_NOT_FOUND, Reason.PERMISSION_MEMBER_NOT_FOUND, Reason.PUBLIC_MAILBOX_NOT_FOUND,
            Reason.PUBLIC_MAILBOX_MEMBER_NOT_FOUND, Reason.USER_MAILBOX_NOT_FOUND, Reason.USER_NOT_FOUND,
            Reason.DEPARTMENT_NOT_FOUND, Reason.MAILBOX_NOT_FOUND, Reason.SERVICE_ACCOUNT_NOT_FOUND,
            Reason.TENANT_NOT_FOUND, Reason.OPERATOR_TOKEN_NOT_FOUND, Reason.APP_NOT_FOUND,
            Reason.WEBHOOK_NOT_FOUND, Reason.WEBHOOK_DELIVERY_NOT_FOUND}) {
            TABLE.put(r, Problem.NOT_FOUND);
        }
        for (Reason r : new Reason[]{Reason.ADDRESS_TAKEN, Reason.ADDRESS_IS_LOGIN_ACCOUNT, Reason.ALIAS_TAKEN,
            Reason.CATCH_ALL_TAKEN, Reason.NOT_IN_RECYCLE_BIN, Reason.SERVICE_ACCOUNT_NAME_TAKEN,
            Reason.SERVICE_ACCOUNT_REVOKED, Reason.TENANT_TAKEN, Reason.TENANT_NOT_EMPTY,
            Reason.APP_TAKEN, Reason.DEPARTMENT_TAKEN, Reason.IN_USE, Reason.ACCOUNT_ID_MISSING, Reason.USER_TAKEN}) {
            TABLE.put(r, Problem.CONFLICT);
        }
        for (Reason r : new Reason[]{Reason.MAIL_GROUP_LIMIT_REACHED, Reason.MEMBER_LIMIT_REACHED,
            Reason.ALIAS_LIMIT_REACHED, Reason.PUBLIC_MAILBOX_LIMIT_REACHED, Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED,
            Reason.MAILBOX_LIMIT_REACHED}) {
            TABLE.put(r, Problem.LIMIT_REACHED);
        }
        TABLE.put(Reason.PERMISSION_NOT_HELD, Problem.FORBIDDEN);
        for (Reason reason : Reason.values()) {
            if (!TABLE.containsKey(reason)) throw new ExceptionInInitializerError("no admin problem for " + reason);
        }
        // An import row's code follows from the problem the same refusal is on a single request, except where an
        // operator's script needs to tell two apart: a taken address is not any other conflict.
        for (Reason reason : Reason.values()) {
            IMPORT_CODES.put(reason, switch (TABLE.get(reason)) {
                case VALIDATION -> ImportCode.INVALID_FIELD;
                case NOT_FOUND -> ImportCode.NOT_FOUND;
                case LIMIT_REACHED -> ImportCode.LIMIT_REACHED;
                default -> ImportCode.CONFLICT;
            });
        }
        for (Reason r : new Reason[]{Reason.ADDRESS_TAKEN, Reason.ADDRESS_IS_LOGIN_ACCOUNT, Reason.ALIAS_TAKEN,
            Reason.CATCH_ALL_TAKEN}) {
            IMPORT_CODES.put(r, ImportCode.ADDRESS_TAKEN);
        }
        IMPORT_CODES.put(Reason.MEMBER_CYCLE, ImportCode.CONFLICT);
    }

    /** The door's wire names for the directory's field paths. */
    static final FieldNames FIELDS = new FieldNames(Map.of("account_id", "hybridbox_account_id"));

    private AdminErrors() {}

    public static Problem of(Reason reason) {
        return TABLE.get(reason);
    }

    /** The code of an import row the directory refused for this reason. */
    public static ImportCode importCode(Reason reason) {
        return IMPORT_CODES.get(reason);
    }
}
