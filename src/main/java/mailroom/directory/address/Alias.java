package mailroom.directory.address;

/** An alias as listed: the owner's primary address, the alias, and whether it catches all. */
public record Alias(String primaryEmail, String emailAlias, boolean catchAll) {}
