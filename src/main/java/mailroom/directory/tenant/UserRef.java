package mailroom.directory.tenant;

/** A reference to a user as a client names it: which id kind, and its value. */
public record UserRef(UserIdKind kind, String value) {}
