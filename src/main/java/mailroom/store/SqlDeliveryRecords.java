package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mailroom.directory.Records.DeliveryRecords;
import mailroom.directory.Records.MemberTarget;
import mailroom.directory.Records.ResolvedAddress;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberType;
import org.jdbi.v3.core.Handle;

/** The reads behind the mail system's look-ups: a group's member rows with their mailboxes, users by department. */
final class SqlDeliveryRecords implements DeliveryRecords {
    /** The department :d of tenant :t and every department below it, as the CTE {@code tree}. */
    static final String DEPARTMENT_TREE = """
            WITH RECURSIVE tree(department_id) AS (
                SELECT department_id FROM department WHERE tenant_key = :t AND department_id = :d
                UNION SELECT c.department_id FROM department c JOIN tree ON c.parent_department_id = tree.department_id
                    WHERE c.tenant_key = :t)
            """;

    /** An address row and its owner's mailbox (user or public), columns read by position. */
    private static final String RESOLVE = """
            SELECT a.address, a.tenant_key, a.domain_id, a.kind, a.owner_id, a.is_catch_all, a.created_at,
                COALESCE(um.email, pm.email), COALESCE(um.status, pm.status)
            FROM address a
            LEFT JOIN user_mailbox um ON a.kind IN ('USER_MAILBOX', 'USER_ALIAS') AND um.id = a.owner_id
            LEFT JOIN public_mailbox pm ON a.kind IN ('PUBLIC_MAILBOX', 'PUBLIC_ALIAS') AND pm.id = a.owner_id
            """;

    private final Handle h;

    SqlDeliveryRecords(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<ResolvedAddress> resolveFirst(List<String> addresses) {
        if (addresses.size() == 1) {
            return h.createQuery(RESOLVE + "WHERE a.address = :a0").bind("a0", addresses.get(0))
                    .map((rs, c) -> resolved(rs)).findOne();
        }
        if (addresses.size() != 2) throw new IllegalArgumentException("one or two addresses to try, got " + addresses.size());
        return h.createQuery(RESOLVE + "WHERE a.address IN (:a0, :a1) ORDER BY CASE a.address WHEN :a0 THEN 0 ELSE 1 END LIMIT 1")
                .bind("a0", addresses.get(0)).bind("a1", addresses.get(1)).map((rs, c) -> resolved(rs)).findOne();
    }

    @Override
    public Optional<ResolvedAddress> catchAll(String domainName) {
        return h.createQuery(RESOLVE + "WHERE a.is_catch_all AND a.domain_id = (SELECT id FROM domain WHERE name = :d)")
                .bind("d", domainName).map((rs, c) -> resolved(rs)).findOne();
    }

    private static ResolvedAddress resolved(ResultSet rs) throws SQLException {
        AddressEntry entry = new AddressEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                AddressKind.valueOf(rs.getString(4)), rs.getString(5), rs.getBoolean(6), rs.getLong(7));
        return new ResolvedAddress(entry, rs.getString(8), "ACTIVE".equals(rs.getString(9)));
    }

    @Override
    public List<MemberTarget> memberTargets(MemberList list, String groupId) {
        String table = list == MemberList.MEMBERS ? "mail_group_member" : "mail_group_permission_member";
        return h.createQuery("SELECT m.type, m.ref_id, m.email, um.email AS user_mailbox, pm.email AS public_mailbox FROM "
                        + table + """
                         m
                        LEFT JOIN user_mailbox um ON m.type = 'USER' AND um.person_id = m.ref_id AND um.status = 'ACTIVE'
                        LEFT JOIN public_mailbox pm ON m.type = 'PUBLIC_MAILBOX' AND pm.id = m.ref_id AND pm.status = 'ACTIVE'
                        WHERE m.mail_group_id = :g ORDER BY m.seq""")
                .bind("g", groupId)
                .map((rs, c) -> {
                    // by position: a 1000-member group reads 5000 columns, and looking names up was a tenth of its cost
                    MemberType type = MemberType.valueOf(rs.getString(1));
                    String mailbox = type == MemberType.USER ? rs.getString(4)
                            : type == MemberType.PUBLIC_MAILBOX ? rs.getString(5) : null;
                    return new MemberTarget(type, rs.getString(2), rs.getString(3), mailbox);
                }).list();
    }

    @Override
    public List<String> departmentMailboxes(String tenantKey, String departmentId) {
        return h.createQuery(DEPARTMENT_TREE + """
                SELECT um.email FROM user_mailbox um JOIN person p ON p.id = um.person_id
                WHERE um.status = 'ACTIVE' AND p.tenant_key = :t AND EXISTS (
                    SELECT 1 FROM person_department pd
                    WHERE pd.person_id = p.id AND pd.department_id IN (SELECT department_id FROM tree))
                ORDER BY p.user_id""")
                .bind("t", tenantKey).bind("d", departmentId).mapTo(String.class).list();
    }

    @Override
    public List<String> tenantMailboxes(String tenantKey) {
        return h.createQuery("SELECT email FROM user_mailbox WHERE tenant_key = :t AND status = 'ACTIVE' ORDER BY seq")
                .bind("t", tenantKey).mapTo(String.class).list();
    }

    @Override
    public List<String> publicMailboxMemberMailboxes(String publicMailboxId) {
        return h.createQuery("""
                SELECT um.email FROM public_mailbox_member m
                JOIN user_mailbox um ON um.person_id = m.person_id AND um.status = 'ACTIVE'
                WHERE m.public_mailbox_id = :b ORDER BY m.seq""")
                .bind("b", publicMailboxId).mapTo(String.class).list();
    }

    @Override
    public Set<String> departmentsAndAncestors(String tenantKey, String userId) {
        return new HashSet<>(h.createQuery("""
                WITH RECURSIVE up(department_id, parent) AS (
                    SELECT d.department_id, d.parent_department_id FROM department d
                    JOIN person_department pd ON pd.department_id = d.department_id
                    WHERE d.tenant_key = :t AND pd.person_id = :p
                    UNION SELECT d.department_id, d.parent_department_id FROM department d
                    JOIN up ON d.department_id = up.parent WHERE d.tenant_key = :t)
                SELECT department_id FROM up""")
                .bind("t", tenantKey).bind("p", userId).mapTo(String.class).list());
    }
}
