package mailroom.directory.tenant;

public enum DepartmentIdKind { DEPARTMENT_ID, OPEN_DEPARTMENT_ID }
