package mailroom.directory.access;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.access.OperatorToken.Role;
import mailroom.directory.tenant.Tenants;

/**
 * Operator tokens: the credentials of the operator door, random, shown once, kept as hashes, with a role
 * and an optional tenant scope. Every request checks its token against the database, so a revocation is
 * refused at once on every node. Tokens are server-wide objects: their changes are journalled under the
 * tenant they are scoped to, or under {@link #SERVER} when they see every tenant.
 */
public final class OperatorTokens {
    /** The tenant key under which changes of server-wide objects are journalled (no tenant has it). */
    public static final String SERVER = "";
    public static final String TOKEN_SCHEME = "mr_op_";
    public static final int MAX_NAME_LENGTH = Text.OPERATOR_TOKEN_NAME;

    private final DirectoryStore store;
    private final Clock clock;

    public OperatorTokens(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A token and its plaintext, which exists only in this answer. */
    public record Issued(OperatorToken token, String plaintext) {}

    /** A new random token: the scheme prefix (so that a leaked one is recognisable) and 32 random bytes. */
    public static String newPlaintext() {
        return TOKEN_SCHEME + Secrets.randomToken(32);
    }

    /** The token in service that the plaintext is, or empty. */
    public Optional<OperatorToken> authenticate(String plaintext) {
        if (plaintext == null || plaintext.isBlank() || plaintext.indexOf('\0') >= 0) return Optional.empty();
        String hash = Secrets.hashToken(plaintext.trim());
        return store.read(r -> r.operatorTokens().byHash(hash)).filter(t -> !t.revoked());
    }

    /**
     * Creates a token. A tenant-scoped token may only be created for a tenant that exists; the caller's own
     * scope is the door's to check.
     */
    public Issued create(Caller caller, String name, Role role, String tenantKey) {
        if (name == null || name.isBlank() || Text.length(name) > MAX_NAME_LENGTH) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "name must be 1-" + MAX_NAME_LENGTH
                    + " characters and not blank", "name");
        }
        if (role == null) throw new DirectoryException(Reason.INVALID_ARGUMENT, "role must be admin or viewer", "role");
        String plaintext = newPlaintext();
        long now = clock.millis();
        return store.write(r -> {
            if (tenantKey != null) Tenants.require(r, tenantKey);
            OperatorToken token = new OperatorToken(Ids.uuid(), name, role, tenantKey, Secrets.hashToken(plaintext), now, null);
            r.operatorTokens().insert(token);
            Journal.created(r, journalCaller(caller, tenantKey), now, ObjectKind.OPERATOR_TOKEN, token.id(),
                    States.operatorToken(token));
            return new Issued(token, plaintext);
        });
    }

    /**
     * Makes sure the given plaintext is a server-wide admin token: created (named {@code name}) when its hash is
     * unknown, answered when it is known and in service; a revoked one is refused, since whoever revoked it
     * meant it to stop working.
     */
    public OperatorToken bootstrap(String plaintext, String name) {
        String hash = Secrets.hashToken(plaintext.trim());
        long now = clock.millis();
        return store.write(r -> {
            Optional<OperatorToken> known = r.operatorTokens().byHash(hash);
            if (known.isPresent()) {
                if (known.get().revoked()) {
                    throw new DirectoryException(Reason.INVALID_ARGUMENT, "the admin token was revoked", "admin_token");
                }
                return known.get();
            }
            OperatorToken token = new OperatorToken(Ids.uuid(), name, Role.ADMIN, null, hash, now, null);
            r.operatorTokens().insert(token);
            Journal.created(r, Caller.seed(SERVER), now, ObjectKind.OPERATOR_TOKEN, token.id(), States.operatorToken(token));
            return token;
        });
    }

    /** Every token, revoked ones included, oldest first; {@code tenantKey} non-null: only that tenant's. */
    public List<OperatorToken> list(String tenantKey) {
        return store.read(r -> r.operatorTokens().list()).stream()
                .filter(t -> tenantKey == null || tenantKey.equals(t.tenantKey())).toList();
    }

    public Optional<OperatorToken> find(String id) {
        return store.read(r -> r.operatorTokens().byId(id == null ? "" : id));
    }

    /** Revokes for good; revoking again answers the token as it is. */
    public OperatorToken revoke(Caller caller, String id) {
        long now = clock.millis();
        return store.write(r -> {
            OperatorToken current = r.operatorTokens().byId(id == null ? "" : id)
                    .orElseThrow(() -> new DirectoryException(Reason.OPERATOR_TOKEN_NOT_FOUND, "operator token not found"));
            if (current.revoked()) return current;
            OperatorToken revoked = new OperatorToken(current.id(), current.name(), current.role(), current.tenantKey(),
                    current.tokenHash(), current.createdAt(), now);
            r.operatorTokens().revoke(current.id(), now);
            Journal.updated(r, journalCaller(caller, current.tenantKey()), now, ObjectKind.OPERATOR_TOKEN, current.id(),
                    States.operatorToken(current), States.operatorToken(revoked));
            return revoked;
        });
    }

    private static Caller journalCaller(Caller caller, String tenantKey) {
        return new Caller(tenantKey == null ? SERVER : tenantKey, caller.actorKind(), caller.actorId(), caller.requestId());
    }
}
