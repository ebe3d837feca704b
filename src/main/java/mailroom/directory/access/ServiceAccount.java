package mailroom.directory.access;

import java.util.List;

/** A service account as stored: the token only as its hash. */
public record ServiceAccount(String id, String tenantKey, String name, String tokenHash, String tokenPrefix,
                      String tokenLast4, String tokenPublicId, List<String> permissions, long createdAt,
                      long updatedAt, Long expiresAt, Long lastUsedAt, Long revokedAt) {
    /** The same account with a new token (kept only as its hash and public parts), in service again. */
    public ServiceAccount withToken(String newTokenHash, String prefix, String last4, String publicId, long now) {
        return new ServiceAccount(id, tenantKey, name, newTokenHash, prefix, last4, publicId, permissions, createdAt,
                now, expiresAt, lastUsedAt, null);
    }

    public ServiceAccount revokedAt(long now) {
        return new ServiceAccount(id, tenantKey, name, tokenHash, tokenPrefix, tokenLast4, tokenPublicId, permissions,
                createdAt, now, expiresAt, lastUsedAt, now);
    }
}
