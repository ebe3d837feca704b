package mailroom.directory.bulk;

/** One alias: the primary address of its owner (a user mailbox, a public mailbox or a mail group) and the alias. */
public record AliasRow(int row, String address, String alias) {}
