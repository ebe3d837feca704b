package mailroom.directory.tenant;

/** The two ids a department is known by. */
public enum DepartmentIdKind { DEPARTMENT_ID, OPEN_DEPARTMENT_ID }
