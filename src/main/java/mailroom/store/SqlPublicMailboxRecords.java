package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Records.PublicMailboxRecords;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import org.jdbi.v3.core.Handle;

/** Public (shared) mailboxes and their members. */
final class SqlPublicMailboxRecords implements PublicMailboxRecords {
    private final Handle h;

    SqlPublicMailboxRecords(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(PublicMailbox p, long now) {
        h.createUpdate("""
                INSERT INTO public_mailbox (id, tenant_key, email, name, geo, status, to_mail_address, created_at, updated_at)
                VALUES (:id, :t, :email, :name, :geo, :status, :to, :now, :now)""")
                .bind("id", p.id()).bind("t", p.tenantKey()).bind("email", p.email()).bind("name", p.name())
                .bind("geo", p.geo()).bind("status", p.status().name()).bind("to", p.toMailAddress()).bind("now", now)
                .execute();
    }

    @Override
    public void update(PublicMailbox p, long now) {
        h.createUpdate("""
                UPDATE public_mailbox SET email = :email, name = :name, geo = :geo, status = :status,
                    to_mail_address = :to, updated_at = :now WHERE id = :id""")
                .bind("id", p.id()).bind("email", p.email()).bind("name", p.name()).bind("geo", p.geo())
                .bind("status", p.status().name()).bind("to", p.toMailAddress()).bind("now", now).execute();
    }

    @Override
    public void delete(String id) {
        h.createUpdate("DELETE FROM public_mailbox_member WHERE public_mailbox_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM public_mailbox WHERE id = :id").bind("id", id).execute();
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
        return h.createQuery("SELECT COUNT(*) FROM public_mailbox WHERE tenant_key = :t").bind("t", tenantKey)
                .mapTo(Integer.class).one();
    }

    private static PublicMailbox mailbox(ResultSet rs) throws SQLException {
        return new PublicMailbox(rs.getString("id"), rs.getString("tenant_key"), rs.getString("email"),
                rs.getString("name"), rs.getString("geo"), MailboxStatus.valueOf(rs.getString("status")),
                rs.getString("to_mail_address"));
    }

    @Override
    public String insertMember(String mailboxId, String memberId, String userId, long now) {
        h.createUpdate("""
                INSERT INTO public_mailbox_member (id, public_mailbox_id, person_id, created_at) VALUES (:id, :b, :p, :now)
                ON CONFLICT (public_mailbox_id, person_id) DO NOTHING""")
                .bind("id", memberId).bind("b", mailboxId).bind("p", userId).bind("now", now).execute();
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
        return h.createUpdate("DELETE FROM public_mailbox_member WHERE public_mailbox_id = :b AND id = :id")
                .bind("b", mailboxId).bind("id", memberId).execute() == 1;
    }

    @Override
    public void deleteAllMembers(String mailboxId) {
        h.createUpdate("DELETE FROM public_mailbox_member WHERE public_mailbox_id = :b").bind("b", mailboxId).execute();
    }

    @Override
    public int countMailboxesOfUser(String userId) {
        return h.createQuery("""
                SELECT COUNT(*) FROM public_mailbox_member m JOIN public_mailbox b ON b.id = m.public_mailbox_id
                WHERE m.person_id = :p AND b.status <> 'RECYCLED'""").bind("p", userId).mapTo(Integer.class).one();
    }
}
