package mailroom.directory.tenant;

/** A reference to a department as a client names it: which id kind, and its value. */
public record DepartmentRef(DepartmentIdKind kind, String value) {}
