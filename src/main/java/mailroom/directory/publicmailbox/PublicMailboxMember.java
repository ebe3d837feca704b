package mailroom.directory.publicmailbox;

import mailroom.directory.tenant.User;

public record PublicMailboxMember(String id, User user) {}
