package mailroom.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mailroom.directory.Records.DeliveryRecords;
import mailroom.directory.Records.MemberTarget;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberType;
import org.jdbi.v3.core.Handle;

/** The reads behind the mail system's look-ups: a group's member rows with their mailboxes, users by department. */
final class SqlDeliveryRecords implements DeliveryRecords {
    private static final String DEPARTMENT_TREE = """
            WITH RECURSIVE tree(department_id) AS (
                SELECT department_id FROM department WHERE tenant_key = :t AND department_id = :d
                UNION SELECT c.department_id FROM department c JOIN tree ON c.parent_department_id = tree.department_id
                    WHERE c.tenant_key = :t)
            """;

    private final Handle h;

    SqlDeliveryRecords(Handle h) {
        this.h = h;
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
                    MemberType type = MemberType.valueOf(rs.getString("type"));
                    String mailbox = type == MemberType.USER ? rs.getString("user_mailbox")
                            : type == MemberType.PUBLIC_MAILBOX ? rs.getString("public_mailbox") : null;
                    return new MemberTarget(type, rs.getString("ref_id"), rs.getString("email"), mailbox);
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
