package mailroom.directory.tenant;

/** The three ids a user is known by. */
public enum UserIdKind { OPEN_ID, UNION_ID, USER_ID }
