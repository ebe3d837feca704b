package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Records.OperatorTokenRecords;
import mailroom.directory.access.OperatorToken;
import org.jdbi.v3.core.Handle;

/** Operator tokens (V9); tokens only as hashes. */
final class SqlOperatorTokenRecords implements OperatorTokenRecords {
    private final Handle h;

    SqlOperatorTokenRecords(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(OperatorToken t) {
        h.createUpdate("""
                INSERT INTO operator_token (id, name, role, tenant_key, token_hash, created_at, revoked_at)
                VALUES (:id, :name, :role, :tenant, :hash, :created, :revoked)""")
                .bind("id", t.id()).bind("name", t.name()).bind("role", t.role().name()).bind("tenant", t.tenantKey())
                .bind("hash", t.tokenHash()).bind("created", t.createdAt()).bind("revoked", t.revokedAt()).execute();
    }

    @Override
    public Optional<OperatorToken> byHash(String tokenHash) {
        return h.createQuery("SELECT * FROM operator_token WHERE token_hash = :h").bind("h", tokenHash)
                .map((rs, c) -> token(rs)).findOne();
    }

    @Override
    public Optional<OperatorToken> byId(String id) {
        return h.createQuery("SELECT * FROM operator_token WHERE id = :id").bind("id", id).map((rs, c) -> token(rs)).findOne();
    }

    @Override
    public List<OperatorToken> list() {
        return h.createQuery("SELECT * FROM operator_token ORDER BY created_at, id").map((rs, c) -> token(rs)).list();
    }

    @Override
    public void revoke(String id, long at) {
        h.createUpdate("UPDATE operator_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("at", at).execute();
    }

    private static OperatorToken token(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Long revokedAt = rs.wasNull() ? null : revoked;
        return new OperatorToken(rs.getString("id"), rs.getString("name"), OperatorToken.Role.valueOf(rs.getString("role")),
                rs.getString("tenant_key"), rs.getString("token_hash"), rs.getLong("created_at"), revokedAt);
    }
}
