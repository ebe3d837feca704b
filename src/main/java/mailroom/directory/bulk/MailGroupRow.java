package mailroom.directory.bulk;

import mailroom.directory.mailgroup.WhoCanSend;

/**
 * One mail group of an import or export, keyed by its address. A null field is a column the file does not
 * have: a new group gets the default, an existing one keeps what it has.
 */
public record MailGroupRow(int row, String email, String name, String description, WhoCanSend whoCanSendMail) {}
