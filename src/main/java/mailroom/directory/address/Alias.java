package mailroom.directory.address;

public record Alias(String primaryEmail, String emailAlias, boolean catchAll) {}
