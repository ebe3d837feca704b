package mailroom.directory.mailgroup;

/** What a member entry of a mail group names. */
public enum MemberType { USER, DEPARTMENT, COMPANY, EXTERNAL_USER, MAIL_GROUP, PUBLIC_MAILBOX, OTHER_MEMBER }
