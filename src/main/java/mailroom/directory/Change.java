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

    /**
     * The address the change is about: the object's own (a group, a mailbox, an alias), or, for what belongs to
     * a group or public mailbox (a member, a manager), that group's or mailbox's — so that "who removed bob from
     * sales@" is a search for sales@. Null for objects without an address (a tenant, an app, a domain). The
     * journal stores it beside the entry, so that the audit log finds an address through an index.
     */
    public String address() {
        Map<String, Object> state = after != null ? after : before;
        if (state == null) return null;
        Object value = switch (objectKind) {
            case MAIL_GROUP, USER_MAILBOX, PUBLIC_MAILBOX, USER_MAILBOX_ALIAS, PUBLIC_MAILBOX_ALIAS, MAIL_GROUP_ALIAS ->
                    state.get("address");
            case MAIL_GROUP_MEMBER, MAIL_GROUP_PERMISSION_MEMBER, MAIL_GROUP_MANAGER -> state.get("mail_group");
            case PUBLIC_MAILBOX_MEMBER -> state.get("public_mailbox");
            default -> null;
        };
        return value instanceof String s ? s : null;
    }

    /** A journalled change with the sequence number the store gave it. */
    public record Entry(long seq, Change change) {}
}
