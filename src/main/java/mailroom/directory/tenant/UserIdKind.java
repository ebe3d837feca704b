package mailroom.directory.tenant;

public enum UserIdKind { OPEN_ID, UNION_ID, USER_ID }
