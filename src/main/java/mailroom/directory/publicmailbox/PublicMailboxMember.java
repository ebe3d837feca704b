package mailroom.directory.publicmailbox;

import mailroom.directory.tenant.User;

/** A user bound to a public mailbox. */
public record PublicMailboxMember(String id, User user) {}
