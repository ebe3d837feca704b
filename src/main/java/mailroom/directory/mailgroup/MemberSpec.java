package mailroom.directory.mailgroup;

import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.UserRef;

/** What a client asks to add as a member or permission member, before the directory resolves it. */
public record MemberSpec(MemberType type, UserRef user, DepartmentRef department, String email) {}
