package mailroom.directory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.access.App;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.User;

/**
 * How each kind of object looks in the change journal: neutral snake_case field names, ids and
 * addresses rather than internal row ids where a reader needs them, and never a secret or its hash.
 */
public final class States {
    private States() {}

    /** An ordered map that, unlike Map.of, keeps nulls (an unset field is part of the state). */
    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    public static Map<String, Object> tenant(Tenant t) {
        Limits l = t.limits();
        return of("key", t.key(), "name", t.name(),
                "geo", of("multi_geo", t.geo().multiGeo(), "allowed", List.copyOf(t.geo().allowed()),
                        "default", t.geo().defaultGeo()),
                "limits", of("public_mailboxes", l.publicMailboxes(), "mail_groups", l.mailGroups(),
                        "mail_group_members", l.mailGroupMembers(), "aliases_per_address", l.aliasesPerAddress(),
                        "public_mailboxes_per_user", l.publicMailboxesPerUser(), "user_mailboxes", l.userMailboxes()),
                "account_id", t.accountId());
    }

    public static Map<String, Object> domain(Domain d) {
        return of("id", d.id(), "name", d.name());
    }

    public static Map<String, Object> department(Department d) {
        return of("department_id", d.departmentId(), "open_department_id", d.openDepartmentId(), "name", d.name(),
                "parent", d.parentDepartmentId());
    }

    public static Map<String, Object> user(User u, List<String> departmentIds) {
        return of("user_id", u.userId(), "open_id", u.openId(), "union_id", u.unionId(), "name", u.name(),
                "departments", departmentIds == null ? null : List.copyOf(departmentIds));
    }

    public static Map<String, Object> app(App a) {
        return of("app_id", a.appId(), "scopes", a.scopes().stream().sorted().toList());
    }

    public static Map<String, Object> serviceAccount(ServiceAccount sa) {
        return of("id", sa.id(), "name", sa.name(), "token_public_id", sa.tokenPublicId(),
                "permissions", List.copyOf(sa.permissions()), "expires_at", sa.expiresAt(), "revoked_at", sa.revokedAt());
    }

    public static Map<String, Object> operatorToken(OperatorToken t) {
        return of("id", t.id(), "name", t.name(), "role", t.role().wire(), "tenant", t.tenantKey(), "revoked_at", t.revokedAt());
    }

    public static Map<String, Object> rateLimits(Map<String, String> limits) {
        return new LinkedHashMap<>(new java.util.TreeMap<>(limits));
    }

    public static Map<String, Object> mailGroup(MailGroup g) {
        return of("id", g.id(), "address", g.email(), "name", g.name(), "description", g.description(),
                "who_can_send", g.whoCanSendMail().name());
    }

    public static ObjectKind memberKind(MemberList list) {
        return list == MemberList.MEMBERS ? ObjectKind.MAIL_GROUP_MEMBER : ObjectKind.MAIL_GROUP_PERMISSION_MEMBER;
    }

    public static Map<String, Object> member(MailGroup group, Member m) {
        return of("id", m.id(), "mail_group_id", group.id(), "mail_group", group.email(), "type", m.type().name(),
                "user_id", m.user() == null ? null : m.user().userId(),
                "department_id", m.department() == null ? null : m.department().departmentId(),
                "address", m.email());
    }

    public static Map<String, Object> manager(MailGroup group, User u) {
        return of("mail_group_id", group.id(), "mail_group", group.email(), "user_id", u.userId());
    }

    /** {@code userId} is the owning user's user_id, null for a mailbox without a user. */
    public static Map<String, Object> userMailbox(UserMailbox m, String userId) {
        return of("id", m.id(), "address", m.email(), "user_id", userId,
                "first_name", m.firstName(), "last_name", m.lastName(), "status", m.status().name());
    }

    public static Map<String, Object> publicMailbox(PublicMailbox p) {
        return of("id", p.id(), "address", p.email(), "name", p.name(), "geo", p.geo(), "status", p.status().name(),
                "forward_to", p.toMailAddress());
    }

    public static Map<String, Object> publicMailboxMember(PublicMailbox box, PublicMailboxMember m) {
        return of("id", m.id(), "public_mailbox_id", box.id(), "public_mailbox", box.email(), "user_id",
                m.user().userId());
    }

    public static ObjectKind aliasKind(AddressKind kind) {
        return switch (kind) {
            case USER_ALIAS -> ObjectKind.USER_MAILBOX_ALIAS;
            case PUBLIC_ALIAS -> ObjectKind.PUBLIC_MAILBOX_ALIAS;
            case GROUP_ALIAS -> ObjectKind.MAIL_GROUP_ALIAS;
            default -> throw new IllegalArgumentException(kind + " is not an alias kind");
        };
    }

    public static Map<String, Object> alias(AddressEntry a, String primary) {
        return of("address", a.address(), "owner_id", a.ownerId(), "owner", primary, "catch_all", a.catchAll());
    }
}
