package mailroom.api.hybridbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import mailroom.api.FieldNames;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;

/**
 * The one table from directory reasons to Hybridbox answers: an HTTP status and FastAPI's
 * {@code {"detail": ...}}. A 404 always says only what was not found (nothing about whose it is); a 409
 * or 403 carries the directory's message; a 422 becomes a pydantic-style value_error on the field.
 */
public final class HybridboxErrors {
    /** How one reason is answered: status, and a fixed detail (null = the directory's message). */
    record Rule(int status, String detail) {}

    /** A rendered refusal: status and the body's {@code detail} value. */
    record Answer(int status, Object detail) {}

    private static final Map<Reason, Rule> TABLE = new EnumMap<>(Reason.class);

    static {
        Rule invalid = new Rule(422, null);
        Rule conflict = new Rule(409, null);
        TABLE.put(Reason.INVALID_ARGUMENT, invalid);
        TABLE.put(Reason.INVALID_ADDRESS, invalid);
        TABLE.put(Reason.MEMBER_CYCLE, invalid);
        TABLE.put(Reason.GEO_NOT_ALLOWED_FOR_APP, invalid);
        TABLE.put(Reason.GEO_NOT_ENABLED, invalid);
        TABLE.put(Reason.GEO_NOT_IN_LIST, invalid);
        TABLE.put(Reason.TENANT_NOT_FOUND, new Rule(404, "Account not found"));
        TABLE.put(Reason.DOMAIN_NOT_FOUND, new Rule(404, "Domain not found"));
        TABLE.put(Reason.MAILBOX_NOT_FOUND, new Rule(404, "Mailbox not found"));
        TABLE.put(Reason.USER_MAILBOX_NOT_FOUND, new Rule(404, "Mailbox not found"));
        TABLE.put(Reason.ALIAS_NOT_FOUND, new Rule(404, "Alias not found"));
        TABLE.put(Reason.SERVICE_ACCOUNT_NOT_FOUND, new Rule(404, "Service account not found"));
        TABLE.put(Reason.MAIL_GROUP_NOT_FOUND, new Rule(404, "Mail group not found"));
        TABLE.put(Reason.MEMBER_NOT_FOUND, new Rule(404, "Member not found"));
        TABLE.put(Reason.PERMISSION_MEMBER_NOT_FOUND, new Rule(404, "Member not found"));
        TABLE.put(Reason.PUBLIC_MAILBOX_NOT_FOUND, new Rule(404, "Mailbox not found"));
        TABLE.put(Reason.PUBLIC_MAILBOX_MEMBER_NOT_FOUND, new Rule(404, "Member not found"));
        TABLE.put(Reason.USER_NOT_FOUND, new Rule(404, "User not found"));
        TABLE.put(Reason.DEPARTMENT_NOT_FOUND, new Rule(404, "Department not found"));
        TABLE.put(Reason.ADDRESS_TAKEN, conflict);
        TABLE.put(Reason.ADDRESS_IS_LOGIN_ACCOUNT, conflict);
        TABLE.put(Reason.ALIAS_TAKEN, conflict);
        TABLE.put(Reason.CATCH_ALL_TAKEN, conflict);
        TABLE.put(Reason.NOT_IN_RECYCLE_BIN, conflict);
        TABLE.put(Reason.MAIL_GROUP_LIMIT_REACHED, conflict);
        TABLE.put(Reason.MEMBER_LIMIT_REACHED, conflict);
        TABLE.put(Reason.ALIAS_LIMIT_REACHED, conflict);
        TABLE.put(Reason.PUBLIC_MAILBOX_LIMIT_REACHED, conflict);
        TABLE.put(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED, conflict);
        TABLE.put(Reason.MAILBOX_LIMIT_REACHED, conflict);
        TABLE.put(Reason.SERVICE_ACCOUNT_NAME_TAKEN, conflict);
        TABLE.put(Reason.SERVICE_ACCOUNT_REVOKED, conflict);
        TABLE.put(Reason.PERMISSION_NOT_HELD, new Rule(403, null));
        // Refusals of the operator door only, never reached through this one
        TABLE.put(Reason.TENANT_TAKEN, conflict);
        TABLE.put(Reason.TENANT_NOT_EMPTY, conflict);
        TABLE.put(Reason.OPERATOR_TOKEN_NOT_FOUND, new Rule(404, "Not found"));
        TABLE.put(Reason.APP_NOT_FOUND, new Rule(404, "Not found"));
        TABLE.put(Reason.WEBHOOK_NOT_FOUND, new Rule(404, "Not found"));
        TABLE.put(Reason.WEBHOOK_DELIVERY_NOT_FOUND, new Rule(404, "Not found"));
        TABLE.put(Reason.APP_TAKEN, conflict);
        TABLE.put(Reason.DEPARTMENT_TAKEN, conflict);
        TABLE.put(Reason.IN_USE, conflict);
        TABLE.put(Reason.ACCOUNT_ID_MISSING, conflict);
        TABLE.put(Reason.USER_TAKEN, conflict);
        for (Reason reason : Reason.values()) {
            if (!TABLE.containsKey(reason)) throw new ExceptionInInitializerError("no Hybridbox answer for " + reason);
        }
    }

    /** Hybridbox's wire names for the directory's field paths. */
    static final FieldNames FIELDS = new FieldNames(Map.of("mailboxes", "items"));

    private HybridboxErrors() {}

    /** The answer to a directory refusal; {@code body} (may be null) supplies a 422's {@code input}. */
    static Answer of(DirectoryException e, JsonNode body) {
        Rule rule = TABLE.get(e.reason());
        String field = FIELDS.path(e.field());
        String message = FIELDS.message(e);
        if (rule.status() == 422) {
            List<Object> loc = field == null ? List.of("body") : List.of("body", field);
            JsonNode input = body == null ? null : field == null ? body : body.get(field);
            return new Answer(422, List.of(Validation.error("value_error", loc, "Value error, " + message, input)));
        }
        return new Answer(rule.status(), rule.detail() != null ? rule.detail() : message);
    }

    /** The HTTP status a reason is answered with (for documentation and tests). */
    public static int status(Reason reason) {
        return TABLE.get(reason).status();
    }
}
