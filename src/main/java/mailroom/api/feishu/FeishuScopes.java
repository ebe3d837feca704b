package mailroom.api.feishu;

/** Scope names an app may hold (spec §1.8). */
final class FeishuScopes {
    static final String MAILGROUP = "mail:mailgroup";
    static final String MAILGROUP_READONLY = "mail:mailgroup:readonly";
    static final String PUBLIC_MAILBOX = "mail:public_mailbox";
    static final String PUBLIC_MAILBOX_READONLY = "mail:public_mailbox:readonly";
    static final String PUBLIC_MAILBOX_GEO = "mail:public_mailbox.public_mailbox_geo";
    static final String USER_MAILBOX = "mail:user_mailbox";
    static final String USER_MAILBOX_READONLY = "mail:user_mailbox:readonly";
    /** The field scope that {@code user_id_type=user_id} needs. */
    static final String EMPLOYEE_ID = "contact:user.employee_id:readonly";

    private FeishuScopes() {}
}
