package mailroom.directory.mailgroup;

import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.User;

/** A resolved member: user/department are present for those types, email for address types. */
public record Member(String id, MemberType type, User user, Department department, String email) {}
