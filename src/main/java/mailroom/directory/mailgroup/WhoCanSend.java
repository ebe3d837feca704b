package mailroom.directory.mailgroup;

/** Who may send to a mail group. */
public enum WhoCanSend { ANYONE, ALL_INTERNAL_USERS, ALL_GROUP_MEMBERS, CUSTOM_MEMBERS }
