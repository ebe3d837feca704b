package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Records.ServiceAccountRecords;
import mailroom.directory.access.ServiceAccount;
import org.jdbi.v3.core.Handle;

/** Service accounts; tokens only as hashes. */
final class SqlServiceAccountRecords implements ServiceAccountRecords {
    private final Handle h;

    SqlServiceAccountRecords(Handle h) {
        this.h = h;
    }

    @Override
    public void upsert(ServiceAccount a) {
        h.createUpdate("""
                INSERT INTO service_account (id, tenant_key, name, token_hash, token_prefix, token_last4, token_public_id,
                    permissions, created_at, updated_at, expires_at, last_used_at, revoked_at)
                VALUES (:id, :t, :name, :hash, :prefix, :last4, :public, :perms, :created, :updated, :expires, :used, :revoked)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash,
                    token_prefix = excluded.token_prefix, token_last4 = excluded.token_last4,
                    token_public_id = excluded.token_public_id, permissions = excluded.permissions,
                    updated_at = excluded.updated_at, expires_at = excluded.expires_at,
                    last_used_at = excluded.last_used_at, revoked_at = excluded.revoked_at""")
                .bind("id", a.id()).bind("t", a.tenantKey()).bind("name", a.name()).bind("hash", a.tokenHash())
                .bind("prefix", a.tokenPrefix()).bind("last4", a.tokenLast4()).bind("public", a.tokenPublicId())
                .bind("perms", String.join(" ", a.permissions())).bind("created", a.createdAt())
                .bind("updated", a.updatedAt()).bind("expires", a.expiresAt()).bind("used", a.lastUsedAt())
                .bind("revoked", a.revokedAt()).execute();
    }

    @Override
    public Optional<ServiceAccount> byTokenHash(String tokenHash) {
        return h.createQuery("SELECT * FROM service_account WHERE token_hash = :h").bind("h", tokenHash)
                .map((rs, c) -> account(rs)).findOne();
    }

    @Override
    public Optional<ServiceAccount> byId(String tenantKey, String id) {
        return h.createQuery("SELECT * FROM service_account WHERE tenant_key = :t AND id = :id")
                .bind("t", tenantKey).bind("id", id).map((rs, c) -> account(rs)).findOne();
    }

    @Override
    public Optional<ServiceAccount> byName(String tenantKey, String name) {
        return h.createQuery("SELECT * FROM service_account WHERE tenant_key = :t AND name = :n AND revoked_at IS NULL")
                .bind("t", tenantKey).bind("n", name).map((rs, c) -> account(rs)).findFirst();
    }

    @Override
    public List<ServiceAccount> list(String tenantKey, boolean includeRevoked) {
        return h.createQuery("SELECT * FROM service_account WHERE tenant_key = :t"
                        + (includeRevoked ? "" : " AND revoked_at IS NULL") + " ORDER BY created_at, id")
                .bind("t", tenantKey).map((rs, c) -> account(rs)).list();
    }

    @Override
    public void touch(String id, long lastUsedAt) {
        h.createUpdate("UPDATE service_account SET last_used_at = :at WHERE id = :id").bind("id", id)
                .bind("at", lastUsedAt).execute();
    }

    @Override
    public void retireToken(String tokenHash, String serviceAccountId, long at) {
        h.createUpdate("""
                INSERT INTO retired_token (token_hash, service_account_id, retired_at) VALUES (:h, :id, :at)
                ON CONFLICT (token_hash) DO NOTHING""").bind("h", tokenHash).bind("id", serviceAccountId).bind("at", at).execute();
    }

    @Override
    public boolean isRetired(String tokenHash) {
        return h.createQuery("SELECT 1 FROM retired_token WHERE token_hash = :h").bind("h", tokenHash).mapTo(Integer.class)
                .findOne().isPresent();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static ServiceAccount account(ResultSet rs) throws SQLException {
        String perms = rs.getString("permissions");
        return new ServiceAccount(rs.getString("id"), rs.getString("tenant_key"), rs.getString("name"),
                rs.getString("token_hash"), rs.getString("token_prefix"), rs.getString("token_last4"),
                rs.getString("token_public_id"), perms.isEmpty() ? List.of() : List.of(perms.split(" ")),
                rs.getLong("created_at"), rs.getLong("updated_at"), nullableLong(rs, "expires_at"),
                nullableLong(rs, "last_used_at"), nullableLong(rs, "revoked_at"));
    }
}
