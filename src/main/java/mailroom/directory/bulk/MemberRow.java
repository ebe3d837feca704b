package mailroom.directory.bulk;

import mailroom.directory.mailgroup.MemberType;

/**
 * One member of a mail group's member list: the group's address, the member's type, and what it names as
 * that type needs — a user_id (USER), a department_id (DEPARTMENT), an address (EXTERNAL_USER, MAIL_GROUP,
 * PUBLIC_MAILBOX, OTHER_MEMBER), nothing (COMPANY: empty).
 */
public record MemberRow(int row, String group, MemberType type, String member) {}
