package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Records.Membership;
import mailroom.directory.Records.PublicMailboxRecords;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.store.UsageCounters.Counted;
import org.jdbi.v3.core.Handle;

/**
 * Public (shared) mailboxes and their members; how many mailboxes each tenant has, and to how many in service
 * each user is bound.
 */
final class SqlPublicMailboxRecords implements PublicMailboxRecords {
    private final Handle h;
    private final UsageCounters counters;

    SqlPublicMailboxRecords(Handle h, WriteTransaction tx) {
        this.h = h;
        this.counters = new UsageCounters(h, tx);
    }

    /**
     * Whether the mailbox is stored and in service, so that its members count as bound to it; one in the
     * recycle bin keeps its member rows, but they count against no one's limit.
     */
    private boolean inService(String mailboxId) {
        return h.createQuery("SELECT status FROM public_mailbox WHERE id = :id").bind("id", mailboxId)
                .mapTo(String.class).findOne().filter(status -> !status.equals(MailboxStatus.RECYCLED.name())).isPresent();
    }

    private List<String> memberUsers(String mailboxId) {
        return h.createQuery("SELECT person_id FROM public_mailbox_member WHERE public_mailbox_id = :b")
                .bind("b", mailboxId).mapTo(String.class).list();
    }

    @Override
    public void insert(PublicMailbox p, long now) {
        h.createUpdate("""
                INSERT INTO public_mailbox (id, tenant_key, email, name, geo, status, to_mail_address, created_at, updated_at)
                VALUES (:id, :t, :email, :name, :geo, :status, :to, :now, :now)""")
                .bind("id", p.id()).bind("t", p.tenantKey()).bind("email", p.email()).bind("name", p.name())
                .bind("geo", p.geo()).bind("status", p.status().name()).bind("to", p.toMailAddress()).bind("now", now)
                .execute();
        counters.add(Counted.TENANT_PUBLIC_MAILBOXES, p.tenantKey(), 1);
    }

    @Override
    public void update(PublicMailbox p, long now) {
        boolean wasInService = inService(p.id());
        h.createUpdate("""
                UPDATE public_mailbox SET email = :email, name = :name, geo = :geo, status = :status,
                    to_mail_address = :to, updated_at = :now WHERE id = :id""")
                .bind("id", p.id()).bind("email", p.email()).bind("name", p.name()).bind("geo", p.geo())
                .bind("status", p.status().name()).bind("to", p.toMailAddress()).bind("now", now).execute();
        boolean isInService = p.status() != MailboxStatus.RECYCLED;
        // Into the recycle bin or out of it: every member's binding stops or starts counting.
        if (wasInService != isInService) counters.addEach(Counted.USER_PUBLIC_MAILBOXES, memberUsers(p.id()), isInService ? 1 : -1);
    }

    @Override
    public void delete(String id) {
        deleteAllMembers(id);
        h.createQuery("DELETE FROM public_mailbox WHERE id = :id RETURNING tenant_key").bind("id", id).mapTo(String.class)
                .findOne().ifPresent(tenantKey -> counters.add(Counted.TENANT_PUBLIC_MAILBOXES, tenantKey, -1));
    }

    @Override
    public Map<String, MailboxStatus> statuses(String tenantKey, Collection<String> ids) {
        return SqlRecords.statuses(h, "public_mailbox", tenantKey, ids);
    }

    @Override
    public Optional<PublicMailbox> find(String tenantKey, String idOrEmail) {
        return h.createQuery("SELECT * FROM public_mailbox WHERE tenant_key = :t AND (id = :k OR email = :k)")
                .bind("t", tenantKey).bind("k", idOrEmail).map((rs, c) -> mailbox(rs)).findOne();
    }

    @Override
    public Page<PublicMailbox> list(String tenantKey, PageRequest page) {
        return SqlRecords.page(h, """
                SELECT * FROM public_mailbox WHERE tenant_key = :t AND status <> 'RECYCLED' AND seq > :after
                ORDER BY seq LIMIT :limit""", q -> q.bind("t", tenantKey), page, (rs, c) -> mailbox(rs));
    }

    @Override
    public int count(String tenantKey) {
        return (int) counters.value(Counted.TENANT_PUBLIC_MAILBOXES, tenantKey);
    }

    private static PublicMailbox mailbox(ResultSet rs) throws SQLException {
        return new PublicMailbox(rs.getString("id"), rs.getString("tenant_key"), rs.getString("email"),
                rs.getString("name"), rs.getString("geo"), MailboxStatus.valueOf(rs.getString("status")),
                rs.getString("to_mail_address"));
    }

    @Override
    public String insertMember(String mailboxId, String memberId, String userId, long now) {
        int inserted = h.createUpdate("""
                INSERT INTO public_mailbox_member (id, public_mailbox_id, person_id, created_at) VALUES (:id, :b, :p, :now)
                ON CONFLICT (public_mailbox_id, person_id) DO NOTHING""")
                .bind("id", memberId).bind("b", mailboxId).bind("p", userId).bind("now", now).execute();
        if (inserted == 1 && inService(mailboxId)) counters.add(Counted.USER_PUBLIC_MAILBOXES, userId, 1);
        return h.createQuery("SELECT id FROM public_mailbox_member WHERE public_mailbox_id = :b AND person_id = :p")
                .bind("b", mailboxId).bind("p", userId).mapTo(String.class).one();
    }

    private static final String MEMBER_SELECT = """
            SELECT m.seq, m.id AS m_id, p.* FROM public_mailbox_member m JOIN person p ON p.id = m.person_id
            WHERE m.public_mailbox_id = :b""";

    @Override
    public Optional<PublicMailboxMember> member(String mailboxId, String memberId) {
        return h.createQuery(MEMBER_SELECT + " AND m.id = :id").bind("b", mailboxId).bind("id", memberId)
                .map((rs, c) -> new PublicMailboxMember(rs.getString("m_id"), SqlTenantRecords.user(rs, ""))).findOne();
    }

    @Override
    public Page<PublicMailboxMember> members(String mailboxId, PageRequest page) {
        return SqlRecords.page(h, MEMBER_SELECT + " AND m.seq > :after ORDER BY m.seq LIMIT :limit",
                q -> q.bind("b", mailboxId), page,
                (rs, c) -> new PublicMailboxMember(rs.getString("m_id"), SqlTenantRecords.user(rs, "")));
    }

    @Override
    public boolean deleteMember(String mailboxId, String memberId) {
        List<String> users = h.createQuery("DELETE FROM public_mailbox_member WHERE public_mailbox_id = :b AND id = :id"
                + " RETURNING person_id").bind("b", mailboxId).bind("id", memberId).mapTo(String.class).list();
        if (!users.isEmpty() && inService(mailboxId)) counters.addEach(Counted.USER_PUBLIC_MAILBOXES, users, -1);
        return users.size() == 1;
    }

    @Override
    public void deleteAllMembers(String mailboxId) {
        List<String> users = h.createQuery("DELETE FROM public_mailbox_member WHERE public_mailbox_id = :b RETURNING person_id")
                .bind("b", mailboxId).mapTo(String.class).list();
        if (!users.isEmpty() && inService(mailboxId)) counters.addEach(Counted.USER_PUBLIC_MAILBOXES, users, -1);
    }

    @Override
    public List<Membership> membershipsOf(String userId) {
        return h.createQuery("SELECT public_mailbox_id, id FROM public_mailbox_member WHERE person_id = :p ORDER BY seq")
                .bind("p", userId).map((rs, c) -> new Membership(rs.getString(1), rs.getString(2))).list();
    }

    @Override
    public int countMailboxesOfUser(String userId) {
        return (int) counters.value(Counted.USER_PUBLIC_MAILBOXES, userId);
    }
}
