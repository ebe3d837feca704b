package mailroom.api.feishu;

/** Scope names an app may hold (spec §1.8; contact v3 in docs/feishu-contact.md). */
final class FeishuScopes {
    static final String MAILGROUP = "mail:mailgroup";
    static final String MAILGROUP_READONLY = "mail:mailgroup:readonly";
    static final String PUBLIC_MAILBOX = "mail:public_mailbox";
    static final String PUBLIC_MAILBOX_READONLY = "mail:public_mailbox:readonly";
    static final String PUBLIC_MAILBOX_GEO = "mail:public_mailbox.public_mailbox_geo";
    static final String USER_MAILBOX = "mail:user_mailbox";
    static final String USER_MAILBOX_READONLY = "mail:user_mailbox:readonly";
    /** Contact v3: write the contact directory (users, departments). */
    static final String CONTACT = "contact:contact";
    static final String CONTACT_READONLY = "contact:contact:readonly";
    static final String CONTACT_READONLY_AS_APP = "contact:contact:readonly_as_app";
    static final String CONTACT_ACCESS_AS_APP = "contact:contact:access_as_app";
    static final String CONTACT_BASE_READONLY = "contact:contact.base:readonly";
    static final String USER_BASE_READONLY = "contact:user.base:readonly";
    static final String DEPARTMENT_BASE_READONLY = "contact:department.base:readonly";
    static final String DEPARTMENT_ORGANIZE_READONLY = "contact:department.organize:readonly";
    /** The field scope that {@code user_id_type=user_id} needs. */
    static final String EMPLOYEE_ID = "contact:user.employee_id:readonly";

    private FeishuScopes() {}
}
