package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Records.MailGroupRecords;
import mailroom.directory.Records.RemovedMember;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.User;
import mailroom.store.UsageCounters.Counted;
import org.jdbi.v3.core.Handle;

/** Mail groups with their member lists and managers; the tenant's group count and each list's member count. */
final class SqlMailGroupRecords implements MailGroupRecords {
    private static final String GROUP_SELECT = """
            SELECT g.*,
                """ + UsageCounters.valueSql(Counted.GROUP_MEMBERS, "g.id") + """
             AS member_count,
                EXISTS (SELECT 1 FROM mail_group_member m WHERE m.mail_group_id = g.id AND m.type = 'EXTERNAL_USER') AS has_external,
                EXISTS (SELECT 1 FROM mail_group_member m WHERE m.mail_group_id = g.id AND m.type = 'COMPANY') AS has_company
            FROM mail_group g""";

    private final Handle h;
    private final UsageCounters counters;

    SqlMailGroupRecords(Handle h, WriteTransaction tx) {
        this.h = h;
        this.counters = new UsageCounters(h, tx);
    }

    private static String table(MemberList list) {
        return list == MemberList.MEMBERS ? "mail_group_member" : "mail_group_permission_member";
    }

    private static Counted counted(MemberList list) {
        return list == MemberList.MEMBERS ? Counted.GROUP_MEMBERS : Counted.GROUP_PERMISSION_MEMBERS;
    }

    @Override
    public void insert(MailGroup g, long now) {
        PlainStatement.update(h, """
                INSERT INTO mail_group (id, tenant_key, email, name, description, who_can_send_mail, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", g.id(), g.tenantKey(), g.email(), g.name(), g.description(),
                g.whoCanSendMail().name(), now, now);
        counters.add(Counted.TENANT_MAIL_GROUPS, g.tenantKey(), 1);
    }

    @Override
    public void update(MailGroup g, long now) {
        h.createUpdate("""
                UPDATE mail_group SET email = :email, name = :name, description = :desc, who_can_send_mail = :who,
                    updated_at = :now WHERE id = :id""")
                .bind("id", g.id()).bind("email", g.email()).bind("name", g.name()).bind("desc", g.description())
                .bind("who", g.whoCanSendMail().name()).bind("now", now).execute();
    }

    @Override
    public void delete(String groupId) {
        for (String t : List.of("mail_group_member", "mail_group_permission_member", "mail_group_manager")) {
            h.createUpdate("DELETE FROM " + t + " WHERE mail_group_id = :id").bind("id", groupId).execute();
        }
        for (MemberList list : MemberList.values()) counters.drop(counted(list), groupId);
        h.createQuery("DELETE FROM mail_group WHERE id = :id RETURNING tenant_key").bind("id", groupId)
                .mapTo(String.class).findOne().ifPresent(tenantKey -> counters.add(Counted.TENANT_MAIL_GROUPS, tenantKey, -1));
    }

    @Override
    public Optional<MailGroup> find(String tenantKey, String idOrEmail) {
        return h.createQuery(GROUP_SELECT + " WHERE g.tenant_key = :t AND (g.id = :k OR g.email = :k)")
                .bind("t", tenantKey).bind("k", idOrEmail).map((rs, c) -> group(rs)).findOne();
    }

    @Override
    public Page<MailGroup> list(String tenantKey, String managedByUserId, PageRequest page) {
        String filter = managedByUserId == null ? ""
                : " AND g.id IN (SELECT mail_group_id FROM mail_group_manager WHERE person_id = :manager)";
        return SqlRecords.page(h, GROUP_SELECT + " WHERE g.tenant_key = :t AND g.seq > :after" + filter
                        + " ORDER BY g.seq LIMIT :limit",
                q -> {
                    q.bind("t", tenantKey);
                    if (managedByUserId != null) q.bind("manager", managedByUserId);
                    return q;
                }, page, (rs, c) -> group(rs));
    }

    @Override
    public int count(String tenantKey) {
        return (int) counters.value(Counted.TENANT_MAIL_GROUPS, tenantKey);
    }

    @Override
    public boolean hasRoom(String tenantKey, int limit) {
        return counters.hasRoom(Counted.TENANT_MAIL_GROUPS, tenantKey, limit);
    }

    private static MailGroup group(ResultSet rs) throws SQLException {
        return new MailGroup(rs.getString("id"), rs.getString("tenant_key"), rs.getString("email"), rs.getString("name"),
                rs.getString("description"), WhoCanSend.valueOf(rs.getString("who_can_send_mail")),
                rs.getLong("member_count"), rs.getBoolean("has_external"), rs.getBoolean("has_company"));
    }

    @Override
    public String insertMember(MemberList list, String groupId, String memberId, MemberType type, String refId,
                               String email, String identity, long now) {
        int inserted = h.createUpdate("INSERT INTO " + table(list) + """
                 (id, mail_group_id, type, ref_id, email, identity, created_at)
                VALUES (:id, :g, :type, :ref, :email, :identity, :now) ON CONFLICT (mail_group_id, identity) DO NOTHING""")
                .bind("id", memberId).bind("g", groupId).bind("type", type.name()).bind("ref", refId)
                .bind("email", email).bind("identity", identity).bind("now", now).execute();
        counters.add(counted(list), groupId, inserted);
        return h.createQuery("SELECT id FROM " + table(list) + " WHERE mail_group_id = :g AND identity = :identity")
                .bind("g", groupId).bind("identity", identity).mapTo(String.class).one();
    }

    private static String memberSelect(MemberList list) {
        return """
                SELECT m.seq, m.id AS m_id, m.type AS m_type, m.ref_id AS m_ref, m.email AS m_email,
                    p.id AS p_id, p.tenant_key AS p_tenant_key, p.user_id AS p_user_id, p.open_id AS p_open_id,
                    p.union_id AS p_union_id, p.name AS p_name,
                    d.department_id AS d_id, d.open_department_id AS d_open_id, d.name AS d_name,
                    d.parent_department_id AS d_parent, g.email AS g_email, pm.email AS pm_email
                FROM """ + " " + table(list) + """
                 m
                LEFT JOIN person p ON m.type = 'USER' AND p.id = m.ref_id
                LEFT JOIN department d ON m.type = 'DEPARTMENT' AND d.tenant_key = :t AND d.department_id = m.ref_id
                LEFT JOIN mail_group g ON m.type = 'MAIL_GROUP' AND g.id = m.ref_id
                LEFT JOIN public_mailbox pm ON m.type = 'PUBLIC_MAILBOX' AND pm.id = m.ref_id
                WHERE m.mail_group_id = :g""";
    }

    private static Member member(ResultSet rs, String tenantKey) throws SQLException {
        MemberType type = MemberType.valueOf(rs.getString("m_type"));
        User user = type == MemberType.USER && rs.getString("p_id") != null ? SqlTenantRecords.user(rs, "p_") : null;
        Department dept = type == MemberType.DEPARTMENT && rs.getString("d_id") != null
                ? new Department(tenantKey, rs.getString("d_id"), rs.getString("d_open_id"), rs.getString("d_name"),
                rs.getString("d_parent")) : null;
        String email = switch (type) {
            case MAIL_GROUP -> rs.getString("g_email");
            case PUBLIC_MAILBOX -> rs.getString("pm_email");
            default -> rs.getString("m_email");
        };
        return new Member(rs.getString("m_id"), type, user, dept, email);
    }

    @Override
    public Optional<Member> member(MemberList list, String tenantKey, String groupId, String memberId) {
        return h.createQuery(memberSelect(list) + " AND m.id = :id").bind("t", tenantKey).bind("g", groupId)
                .bind("id", memberId).map((rs, c) -> member(rs, tenantKey)).findOne();
    }

    @Override
    public Optional<String> memberIdOf(MemberList list, String groupId, String identity) {
        return h.createQuery("SELECT id FROM " + table(list) + " WHERE mail_group_id = :g AND identity = :identity")
                .bind("g", groupId).bind("identity", identity).mapTo(String.class).findOne();
    }

    @Override
    public Page<Member> members(MemberList list, String tenantKey, String groupId, PageRequest page) {
        return SqlRecords.page(h, memberSelect(list) + " AND m.seq > :after ORDER BY m.seq LIMIT :limit",
                q -> q.bind("t", tenantKey).bind("g", groupId), page, (rs, c) -> member(rs, tenantKey));
    }

    @Override
    public int countMembers(MemberList list, String groupId) {
        return (int) counters.value(counted(list), groupId);
    }

    @Override
    public boolean deleteMember(MemberList list, String groupId, String memberId) {
        int deleted = h.createUpdate("DELETE FROM " + table(list) + " WHERE mail_group_id = :g AND id = :id")
                .bind("g", groupId).bind("id", memberId).execute();
        counters.add(counted(list), groupId, -deleted);
        return deleted == 1;
    }

    @Override
    public List<RemovedMember> deleteMembersReferring(MemberType type, String refId) {
        List<RemovedMember> out = new ArrayList<>();
        for (MemberList list : MemberList.values()) {
            String where = " WHERE m.type = :type AND m.ref_id = :ref";
            out.addAll(h.createQuery(removedSelect(list) + where).bind("type", type.name()).bind("ref", refId)
                    .map((rs, c) -> removed(list, rs)).list());
            // One group id per deleted row: each takes one off its group's count.
            counters.addEach(counted(list), h.createQuery("DELETE FROM " + table(list) + " WHERE type = :type AND ref_id = :ref"
                    + " RETURNING mail_group_id").bind("type", type.name()).bind("ref", refId).mapTo(String.class).list(), -1);
        }
        return out;
    }

    @Override
    public List<RemovedMember> deleteMembersReferring(String tenantKey, MemberType type, String refId) {
        List<RemovedMember> out = new ArrayList<>();
        for (MemberList list : MemberList.values()) {
            String where = " WHERE m.type = :type AND m.ref_id = :ref AND g.tenant_key = :t";
            out.addAll(h.createQuery(removedSelect(list) + where).bind("type", type.name()).bind("ref", refId)
                    .bind("t", tenantKey).map((rs, c) -> removed(list, rs)).list());
            counters.addEach(counted(list), h.createQuery("DELETE FROM " + table(list) + " WHERE type = :type AND ref_id = :ref"
                    + " AND mail_group_id IN (SELECT id FROM mail_group WHERE tenant_key = :t) RETURNING mail_group_id")
                    .bind("type", type.name()).bind("ref", refId).bind("t", tenantKey).mapTo(String.class).list(), -1);
        }
        return out;
    }

    @Override
    public List<RemovedMember> deleteMembersAddressedTo(java.util.Collection<String> addresses) {
        if (addresses.isEmpty()) return List.of();
        List<RemovedMember> out = new ArrayList<>();
        for (MemberList list : MemberList.values()) {
            out.addAll(h.createQuery(removedSelect(list) + " WHERE m.type = 'OTHER_MEMBER' AND m.email IN (<a>)")
                    .bindList("a", List.copyOf(addresses)).map((rs, c) -> removed(list, rs)).list());
            // One group id per deleted row: each takes one off its group's count.
            counters.addEach(counted(list), h.createQuery("DELETE FROM " + table(list) + " WHERE type = 'OTHER_MEMBER' AND email IN (<a>)"
                    + " RETURNING mail_group_id").bindList("a", List.copyOf(addresses)).mapTo(String.class).list(), -1);
        }
        return out;
    }

    /** Member rows with their group, and the address of a group or public mailbox they name. */
    private static String removedSelect(MemberList list) {
        return """
                SELECT m.id AS m_id, m.type AS m_type, m.email AS m_email, rg.email AS rg_email, pm.email AS pm_email,
                    g.id, g.tenant_key, g.email, g.name, g.description, g.who_can_send_mail,
                    0 AS member_count, FALSE AS has_external, FALSE AS has_company
                FROM""" + " " + table(list) + """
                 m
                JOIN mail_group g ON g.id = m.mail_group_id
                LEFT JOIN mail_group rg ON m.type = 'MAIL_GROUP' AND rg.id = m.ref_id
                LEFT JOIN public_mailbox pm ON m.type = 'PUBLIC_MAILBOX' AND pm.id = m.ref_id""";
    }

    private static RemovedMember removed(MemberList list, ResultSet rs) throws SQLException {
        MemberType type = MemberType.valueOf(rs.getString("m_type"));
        String email = switch (type) {
            case MAIL_GROUP -> rs.getString("rg_email");
            case PUBLIC_MAILBOX -> rs.getString("pm_email");
            default -> rs.getString("m_email");
        };
        return new RemovedMember(list, group(rs), new Member(rs.getString("m_id"), type, null, null, email));
    }

    @Override
    public List<String[]> groupEdges(String tenantKey) {
        return h.createQuery("""
                SELECT m.mail_group_id, m.ref_id FROM mail_group_member m JOIN mail_group g ON g.id = m.mail_group_id
                WHERE g.tenant_key = :t AND m.type = 'MAIL_GROUP'""")
                .bind("t", tenantKey).map((rs, c) -> new String[]{rs.getString(1), rs.getString(2)}).list();
    }

    @Override
    public boolean insertManager(String groupId, String userId, long now) {
        return h.createUpdate("""
                INSERT INTO mail_group_manager (mail_group_id, person_id, created_at) VALUES (:g, :p, :now)
                ON CONFLICT (mail_group_id, person_id) DO NOTHING""")
                .bind("g", groupId).bind("p", userId).bind("now", now).execute() == 1;
    }

    @Override
    public boolean deleteManager(String groupId, String userId) {
        return h.createUpdate("DELETE FROM mail_group_manager WHERE mail_group_id = :g AND person_id = :p")
                .bind("g", groupId).bind("p", userId).execute() == 1;
    }

    @Override
    public Page<User> managers(String groupId, PageRequest page) {
        return SqlRecords.page(h, """
                SELECT mg.seq, p.* FROM mail_group_manager mg JOIN person p ON p.id = mg.person_id
                WHERE mg.mail_group_id = :g AND mg.seq > :after ORDER BY mg.seq LIMIT :limit""",
                q -> q.bind("g", groupId), page, (rs, c) -> SqlTenantRecords.user(rs, ""));
    }
}
