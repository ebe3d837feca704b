package mailroom.directory.publicmailbox;

import mailroom.directory.mailbox.MailboxStatus;

/** A shared mailbox; in the recycle bin it remembers where its mail should go. */
public record PublicMailbox(String id, String tenantKey, String email, String name, String geo,
                            MailboxStatus status, String toMailAddress) {}
