package mailroom.directory.tenant;

public record DepartmentRef(DepartmentIdKind kind, String value) {}
