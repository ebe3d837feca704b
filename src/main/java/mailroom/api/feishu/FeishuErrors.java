package mailroom.api.feishu;

import java.util.EnumMap;
import java.util.Map;
import mailroom.api.FieldNames;
import mailroom.directory.Reason;

/**
 * The one table from directory reasons to Feishu codes (spec §5). Where an endpoint documents another
 * HTTP status or wording for the same code, its route declares an override instead of a handler
 * catching and translating.
 */
public final class FeishuErrors {
    public static final FeishuError PARAM_ERROR = new FeishuError(1234008, 400, "request parameter error");
    public static final FeishuError MISSING_TOKEN = new FeishuError(99991661, 400,
            "Missing access token for authorization. Please make a request with token attached.");
    public static final FeishuError INVALID_TOKEN = new FeishuError(99991663, 400,
            "Invalid access token for authorization. Please make a request with token attached.");
    public static final FeishuError NO_SCOPE = new FeishuError(99991672, 400, "Access denied. One of the following scopes is required: %s");
    public static final FeishuError FIELD_VALIDATION = new FeishuError(99992402, 400, "field validation failed");
    public static final FeishuError RATE_LIMITED = new FeishuError(99991400, 429, "request trigger frequency limit");
    public static final FeishuError RELEASE_PARAM = new FeishuError(1230001, 400, "param is invalis");
    public static final FeishuError INTERNAL = new FeishuError(1230003, 500, "Internal Error");

    // Contact v3 (docs/feishu-contact.md): codes its routes declare as overrides, with the HTTP status Feishu documents.
    public static final FeishuError CONTACT_PARAM = new FeishuError(40001, 400, "param error");
    public static final FeishuError NO_DEPT_AUTHORITY = new FeishuError(40004, 403, "no dept authority error");
    public static final FeishuError PAGE_SIZE_INVALID = new FeishuError(40011, 400, "page size is invalid");
    public static final FeishuError PAGE_TOKEN_INVALID = new FeishuError(40012, 400, "page token is invalid error");
    public static final FeishuError NO_PARENT_DEPT_AUTHORITY = new FeishuError(40014, 403, "no parent dept authority error");
    public static final FeishuError DEPT_NOT_EXIST = new FeishuError(40015, 400, "department not exist");
    public static final FeishuError DEPT_NAME_NULL = new FeishuError(40016, 401, "dept name can not be nul error");
    public static final FeishuError NO_USER_NAME = new FeishuError(41006, 400, "no user name error");
    public static final FeishuError USER_ID_TAKEN = new FeishuError(41011, 400, "user id already exist error");
    public static final FeishuError USER_ID_INVALID = new FeishuError(41012, 400, "user id invalid error");
    public static final FeishuError TOO_MANY_DEPARTMENTS = new FeishuError(41033, 400, "user in too many departments  error");
    public static final FeishuError EMAIL_PREFIX_TAKEN = new FeishuError(41034, 400, "email prefix already exist error");
    public static final FeishuError EMAIL_PREFIX_INVALID = new FeishuError(41035, 400, "email prefix is invalid error");
    public static final FeishuError NO_USER_AUTHORITY = new FeishuError(41050, 403, "no user authority error");
    public static final FeishuError MAILBOX_QUOTA = new FeishuError(41068, 400, "Number of email aliases exceeds the upper limit");
    public static final FeishuError EMAIL_IN_RECYCLE_BIN = new FeishuError(41069, 400, "Business email is in the recycle bin");
    public static final FeishuError NAME_TOO_LONG = new FeishuError(41070, 400, "name length exceed 255 character");
    public static final FeishuError DEPT_ID_TAKEN = new FeishuError(43007, 400, "duplicated department custom id error");
    public static final FeishuError DEPT_ID_INVALID = new FeishuError(43008, 400, "custom dept id invalid error");
    public static final FeishuError EMAIL_DOMAIN_UNAVAILABLE = new FeishuError(44001, 400, "business email domain not available error");
    public static final FeishuError EMAIL_IS_ACCOUNT = new FeishuError(44024, 400,
            "User enterprise email has already been registered as a member's account");
    public static final FeishuError MISSING_PARENT = new FeishuError(44101, 400, "miss parent department id error");

    /** Feishu's wire names for the directory's field paths (its request field names). */
    public static final FieldNames FIELDS = new FieldNames(Map.of(
            "address", "email", "alias", "email_alias", "members", "items", "user", "user_id",
            "department", "department_id", "managers", "mailgroup_manager_list", "addresses", "email_list",
            "transfer_to", "transfer_mailbox", "forward_to", "to_mail_address"));

    private static final Map<Reason, FeishuError> TABLE = new EnumMap<>(Reason.class);

    static {
        TABLE.put(Reason.INVALID_ARGUMENT, PARAM_ERROR);
        TABLE.put(Reason.INVALID_ADDRESS, PARAM_ERROR);
        TABLE.put(Reason.MEMBER_CYCLE, PARAM_ERROR);
        TABLE.put(Reason.USER_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.DEPARTMENT_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.TENANT_NOT_FOUND, INVALID_TOKEN);
        TABLE.put(Reason.DOMAIN_NOT_FOUND, new FeishuError(1234019, 400, "mail address's domain not found"));
        TABLE.put(Reason.ADDRESS_TAKEN, new FeishuError(1234006, 409, "email address has been used"));
        TABLE.put(Reason.ADDRESS_IS_LOGIN_ACCOUNT, new FeishuError(1234033, 409,
                "email address has been used by another member as login account"));
        TABLE.put(Reason.ALIAS_TAKEN, new FeishuError(1235002, 409, "email alias address has been used"));
        TABLE.put(Reason.ALIAS_NOT_FOUND, new FeishuError(1234012, 404, "alias not found"));
        TABLE.put(Reason.MAIL_GROUP_NOT_FOUND, new FeishuError(1234013, 404, "mail group not found"));
        TABLE.put(Reason.MEMBER_NOT_FOUND, new FeishuError(1234014, 404, "mail group member not found"));
        TABLE.put(Reason.PERMISSION_MEMBER_NOT_FOUND, new FeishuError(1234015, 404,
                "mail group permission member not found"));
        TABLE.put(Reason.PUBLIC_MAILBOX_NOT_FOUND, new FeishuError(1234016, 404, "public mailbox not found"));
        TABLE.put(Reason.PUBLIC_MAILBOX_MEMBER_NOT_FOUND, new FeishuError(1234040, 404, "public mailbox member not found"));
        TABLE.put(Reason.USER_MAILBOX_NOT_FOUND, new FeishuError(1235013, 404, "user not found"));
        TABLE.put(Reason.MAILBOX_NOT_FOUND, new FeishuError(1235013, 404, "user not found"));
        TABLE.put(Reason.MAIL_GROUP_LIMIT_REACHED, new FeishuError(1234030, 400, "mailing group count is over max limit"));
        TABLE.put(Reason.MEMBER_LIMIT_REACHED, new FeishuError(1234030, 400, "mailing group member count is over max limit"));
        TABLE.put(Reason.ALIAS_LIMIT_REACHED, new FeishuError(1234023, 409, "email address alias exceed the number limit"));
        TABLE.put(Reason.PUBLIC_MAILBOX_LIMIT_REACHED, new FeishuError(1234026, 200,
                "The number of tenant public mailboxes has reached the limit and cannot be created"));
        TABLE.put(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED, new FeishuError(1234027, 400,
                "some users have exceeded the limit on the number of bindable public mailboxes"));
        TABLE.put(Reason.GEO_NOT_ALLOWED_FOR_APP, new FeishuError(1234040, 400, "not set geo name auth"));
        TABLE.put(Reason.GEO_NOT_ENABLED, new FeishuError(1234041, 400, "tenant not open mg not set geo name"));
        TABLE.put(Reason.GEO_NOT_IN_LIST, new FeishuError(1234042, 400, "req set geo not find in geo list"));
        TABLE.put(Reason.NOT_IN_RECYCLE_BIN, RELEASE_PARAM);
        TABLE.put(Reason.CATCH_ALL_TAKEN, PARAM_ERROR);
        TABLE.put(Reason.SERVICE_ACCOUNT_NOT_FOUND, PARAM_ERROR);
        // Refusals of the other door only, never reached through this one
        TABLE.put(Reason.MAILBOX_LIMIT_REACHED, PARAM_ERROR);
        TABLE.put(Reason.SERVICE_ACCOUNT_NAME_TAKEN, PARAM_ERROR);
        TABLE.put(Reason.SERVICE_ACCOUNT_REVOKED, PARAM_ERROR);
        TABLE.put(Reason.PERMISSION_NOT_HELD, PARAM_ERROR);
        // Refusals of the operator door only
        TABLE.put(Reason.TENANT_TAKEN, PARAM_ERROR);
        TABLE.put(Reason.TENANT_NOT_EMPTY, PARAM_ERROR);
        TABLE.put(Reason.OPERATOR_TOKEN_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.APP_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.WEBHOOK_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.WEBHOOK_DELIVERY_NOT_FOUND, PARAM_ERROR);
        TABLE.put(Reason.APP_TAKEN, PARAM_ERROR);
        TABLE.put(Reason.DEPARTMENT_TAKEN, PARAM_ERROR);
        TABLE.put(Reason.IN_USE, PARAM_ERROR);
        TABLE.put(Reason.ACCOUNT_ID_MISSING, PARAM_ERROR);
        TABLE.put(Reason.USER_TAKEN, PARAM_ERROR);
        for (Reason reason : Reason.values()) {
            if (!TABLE.containsKey(reason)) throw new ExceptionInInitializerError("no Feishu code for " + reason);
        }
    }

    private FeishuErrors() {}

    /**
     * The error a sandbox fault answers for HTTP {@code status} and {@code code}: the message this door gives that code
     * (any of them, when several), the code of the status when none is given (400, 429, 5xx), at the status asked.
     */
    public static FeishuError forFault(int status, Integer code) {
        int wanted = code != null ? code : status == 429 ? RATE_LIMITED.code() : status >= 500 ? INTERNAL.code() : PARAM_ERROR.code();
        String msg = java.util.stream.Stream.concat(java.util.stream.Stream.of(PARAM_ERROR, MISSING_TOKEN, INVALID_TOKEN,
                        FIELD_VALIDATION, RATE_LIMITED, RELEASE_PARAM, INTERNAL), TABLE.values().stream())
                .filter(e -> e.code() == wanted).map(FeishuError::msg).findFirst().orElse("fault injected by the sandbox");
        return new FeishuError(wanted, status, msg);
    }

    public static FeishuError of(Reason reason, Map<Reason, FeishuError> overrides) {
        FeishuError override = overrides.get(reason);
        return override != null ? override : TABLE.get(reason);
    }
}
