package mailroom.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import mailroom.directory.Records.AddressRecords;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.OwnedAddress;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.store.UsageCounters.Counted;
import org.jdbi.v3.core.Handle;

/** The address namespace table, and how many aliases each owner has. */
final class SqlAddressRecords implements AddressRecords {
    private final Handle h;
    private final UsageCounters counters;

    SqlAddressRecords(Handle h, WriteTransaction tx) {
        this.h = h;
        this.counters = new UsageCounters(h, tx);
    }

    @Override
    public Optional<AddressEntry> find(String address) {
        return h.createQuery("SELECT * FROM address WHERE address = :a").bind("a", address)
                .map((rs, c) -> entry(rs)).findOne();
    }

    @Override
    public List<AddressEntry> findAll(Collection<String> addresses) {
        if (addresses.isEmpty()) return List.of();
        List<AddressEntry> out = new ArrayList<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(addresses));
        for (int from = 0; from < all.size(); from += 500) {
            out.addAll(h.createQuery("SELECT * FROM address WHERE address IN (<a>)")
                    .bindList("a", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> entry(rs)).list());
        }
        return out;
    }

    @Override
    public List<AddressEntry> ofTenant(String tenantKey, String afterAddress, int limit) {
        return h.createQuery("SELECT * FROM address WHERE tenant_key = :t AND address > :after ORDER BY address LIMIT :limit")
                .bind("t", tenantKey).bind("after", afterAddress == null ? "" : afterAddress).bind("limit", limit)
                .map((rs, c) -> entry(rs)).list();
    }

    @Override
    public boolean tryInsert(AddressEntry e) {
        boolean inserted = PlainStatement.update(h, """
                INSERT INTO address (address, tenant_key, domain_id, kind, owner_id, is_catch_all, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", e.address(), e.tenantKey(), e.domainId(),
                e.kind().name(), e.ownerId(), e.catchAll(), e.createdAt()) == 1;
        if (inserted && e.kind().isAlias()) counters.add(Counted.OWNER_ALIASES, e.ownerId(), 1);
        return inserted;
    }

    @Override
    public void insertAll(List<AddressEntry> entries) {
        if (entries.isEmpty()) return;
        PlainBatch.insert(h, "address", List.of("address", "tenant_key", "domain_id", "kind", "owner_id", "is_catch_all",
                "created_at"), entries,
                e -> new Object[]{e.address(), e.tenantKey(), e.domainId(), e.kind().name(), e.ownerId(), e.catchAll(), e.createdAt()});
        counters.addAll(Counted.OWNER_ALIASES, entries.stream().filter(e -> e.kind().isAlias())
                .collect(Collectors.groupingBy(AddressEntry::ownerId, Collectors.counting())));
    }

    @Override
    public List<AddressEntry> aliasesOf(String ownerId) {
        return h.createQuery("""
                SELECT * FROM address WHERE owner_id = :o AND kind IN ('USER_ALIAS', 'PUBLIC_ALIAS', 'GROUP_ALIAS')
                ORDER BY created_at, address""").bind("o", ownerId).map((rs, c) -> entry(rs)).list();
    }

    @Override
    public List<AddressEntry> aliasesOfAll(Collection<String> ownerIds) {
        if (ownerIds.isEmpty()) return List.of();
        List<AddressEntry> out = new ArrayList<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ownerIds));
        for (int from = 0; from < all.size(); from += 500) {
            out.addAll(h.createQuery("""
                    SELECT * FROM address WHERE owner_id IN (<o>) AND kind IN ('USER_ALIAS', 'PUBLIC_ALIAS', 'GROUP_ALIAS')
                    ORDER BY created_at, address""")
                    .bindList("o", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> entry(rs)).list());
        }
        return out;
    }

    @Override
    public int countAliases(String ownerId) {
        return (int) counters.value(Counted.OWNER_ALIASES, ownerId);
    }

    @Override
    public long count() {
        return h.createQuery("SELECT COUNT(*) FROM address").mapTo(Long.class).one();
    }

    @Override
    public Optional<AddressEntry> catchAllOf(String domainId) {
        return h.createQuery("SELECT * FROM address WHERE domain_id = :d AND is_catch_all").bind("d", domainId)
                .map((rs, c) -> entry(rs)).findOne();
    }

    @Override
    public Map<AddressKind, Long> countByKind(String domainId) {
        Map<AddressKind, Long> out = new EnumMap<>(AddressKind.class);
        h.createQuery("SELECT kind, COUNT(*) FROM address WHERE domain_id = :d AND NOT is_catch_all GROUP BY kind")
                .bind("d", domainId).map((rs, c) -> Map.entry(AddressKind.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public boolean delete(String address) {
        Optional<AddressEntry> deleted = h.createQuery("DELETE FROM address WHERE address = :a RETURNING *")
                .bind("a", address).map((rs, c) -> entry(rs)).findOne();
        deleted.filter(e -> e.kind().isAlias()).ifPresent(e -> counters.add(Counted.OWNER_ALIASES, e.ownerId(), -1));
        return deleted.isPresent();
    }

    @Override
    public void deleteOwnedBy(String ownerId) {
        h.createUpdate("DELETE FROM address WHERE owner_id = :o").bind("o", ownerId).execute();
        counters.drop(Counted.OWNER_ALIASES, ownerId);
    }

    @Override
    public void forEachOwned(Consumer<OwnedAddress> each) {
        // The owner's tenant is checked on the join, as AddressLookup's batch read checks it on the rows. Plain JDBC:
        // a million rows read once, without Jdbi's set-up per row.
        String sql = "SELECT a.address, a.kind, COALESCE(m.status, p.status, 'ACTIVE') FROM address a"
                + " LEFT JOIN user_mailbox m ON a.kind IN ('USER_MAILBOX', 'USER_ALIAS') AND m.id = a.owner_id"
                + " AND m.tenant_key = a.tenant_key"
                + " LEFT JOIN public_mailbox p ON a.kind IN ('PUBLIC_MAILBOX', 'PUBLIC_ALIAS') AND p.id = a.owner_id"
                + " AND p.tenant_key = a.tenant_key";
        try (PreparedStatement statement = h.getConnection().prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                each.accept(new OwnedAddress(rs.getString(1), AddressKind.valueOf(rs.getString(2)),
                        MailboxStatus.valueOf(rs.getString(3))));
            }
        } catch (SQLException e) {
            throw PlainStatement.failed(sql, e);
        }
    }

    private static AddressEntry entry(ResultSet rs) throws SQLException {
        return new AddressEntry(rs.getString("address"), rs.getString("tenant_key"), rs.getString("domain_id"),
                AddressKind.valueOf(rs.getString("kind")), rs.getString("owner_id"), rs.getBoolean("is_catch_all"),
                rs.getLong("created_at"));
    }
}
