package mailroom.directory.publicmailbox;

import mailroom.directory.mailbox.MailboxStatus;

public record PublicMailbox(String id, String tenantKey, String email, String name, String geo,
                            MailboxStatus status, String toMailAddress) {}
