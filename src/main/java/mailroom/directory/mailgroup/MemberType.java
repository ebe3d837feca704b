package mailroom.directory.mailgroup;

public enum MemberType { USER, DEPARTMENT, COMPANY, EXTERNAL_USER, MAIL_GROUP, PUBLIC_MAILBOX, OTHER_MEMBER }
