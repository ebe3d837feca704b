package mailroom.directory;

import java.util.Map;

/**
 * One changed object, as the change journal keeps it: who changed it, when, how, and its state before
 * and after (null before a create, null after a delete). States are plain maps of neutral field names to
 * strings, numbers, booleans, lists and maps, never secrets or their hashes.
 */
public record Change(Caller caller, long time, ObjectKind objectKind, String objectId, Op op,
                     Map<String, Object> before, Map<String, Object> after) {
    /** What kind of object changed. */
    public enum ObjectKind {
        TENANT, DOMAIN, DEPARTMENT, USER, APP, SERVICE_ACCOUNT, RATE_LIMITS, OPERATOR_TOKEN,
        USER_MAILBOX, USER_MAILBOX_ALIAS,
        PUBLIC_MAILBOX, PUBLIC_MAILBOX_ALIAS, PUBLIC_MAILBOX_MEMBER,
        MAIL_GROUP, MAIL_GROUP_ALIAS, MAIL_GROUP_MEMBER, MAIL_GROUP_PERMISSION_MEMBER, MAIL_GROUP_MANAGER,
        WEBHOOK
    }

    /** How it changed; RECYCLE takes a mailbox out of service into the recycle bin. */
    public enum Op { CREATE, UPDATE, DELETE, RECYCLE }

    /** The tenant whose data changed. */
    public String tenantKey() {
        return caller.tenantKey();
    }

    /** A journalled change with the sequence number the store gave it. */
    public record Entry(long seq, Change change) {}
}
