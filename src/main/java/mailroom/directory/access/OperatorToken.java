package mailroom.directory.access;

/**
 * An operator token as stored: the token only as its hash. {@code tenantKey} null means every tenant;
 * {@code revokedAt} null means in service.
 */
public record OperatorToken(String id, String name, Role role, String tenantKey, String tokenHash, long createdAt,
                            Long revokedAt) {
    /** What a token may do: an admin writes, a viewer only reads. */
    public enum Role {
        ADMIN, VIEWER;

        /** The role named in lower case ("admin", "viewer"), or null for anything else. */
        public static Role parse(String name) {
            for (Role r : values()) {
                if (r.wire().equals(name)) return r;
            }
            return null;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the token may see the tenant's data: every tenant for a server-wide token. */
    public boolean sees(String tenant) {
        return tenantKey == null || tenantKey.equals(tenant);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
