package mailroom.directory.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.tenant.Tenants;

/**
 * A tenant's API apps managed while the server runs: created with a generated secret (shown once), given new
 * scopes, given a new secret, deleted. Secrets are kept as PBKDF2 hashes, worked out before the transaction so
 * that the writer is never held by them. An app's access tokens name only the app and its tenant and are checked
 * against the app on every request: new scopes count at once, a deleted app's tokens are refused at once, and a
 * new secret leaves the tokens issued under the old one valid for their lifetime. The ids of deleted apps are not
 * given out again (see {@link Records.TenantRecords#retireAppSecret}).
 */
public final class Apps {
    /** App ids: what a URL path segment and a token payload carry without quoting. */
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final String GENERATED_PREFIX = "cli_";
    public static final int MAX_SCOPES = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DirectoryStore store;
    private final Clock clock;

    public Apps(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An app and its plaintext secret, which exists only in this answer. */
    public record Issued(App app, String secret) {}

    /** The tenant's apps, in app_id order. */
    public List<App> list(String tenantKey) {
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            // Sorted here, not by the database's collation: the operator door's cursor continues in Java's order.
            return r.tenants().appsOf(tenantKey).stream().sorted(Comparator.comparing(App::appId)).toList();
        });
    }

    /** The tenant's app; another tenant's app is as unknown as a missing one. */
    public App get(String tenantKey, String appId) {
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            return require(r, tenantKey, appId);
        });
    }

    /**
     * Creates an app of the caller's tenant with a new random secret. Without an id it gets {@code cli_} and 16
     * hex digits; a given id must be new, and not the id of a deleted app. {@code knownScopes} are the scopes the
     * calling door can grant (null: any); each scope must be one of them.
     */
    public Issued create(Caller caller, String appId, Collection<String> scopes, Set<String> knownScopes) {
        String id = appId == null ? GENERATED_PREFIX + HexFormat.of().formatHex(randomBytes(8)) : requireAppId(appId, "app_id");
        Set<String> granted = requireScopes(scopes, knownScopes, "scopes");
        String secret = newSecret();
        String hash = Secrets.hashPassword(secret);
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            var existing = r.tenants().app(id);
            if (existing.isPresent()) {
                String whose = existing.get().tenantKey().equals(tenantKey) ? "this tenant" : "another tenant";
                throw new DirectoryException(Reason.APP_TAKEN, "app id " + id + " already belongs to " + whose, "app_id");
            }
            if (!r.tenants().retiredAppSecrets(id).isEmpty()) {
                throw new DirectoryException(Reason.APP_TAKEN, "app id " + id
                        + " belonged to a deleted app and is not given out again (its tokens must stay refused)", "app_id");
            }
            App app = new App(id, tenantKey, hash, granted);
            // The primary key decides a race with another tenant creating the same id (its lock is not ours).
            if (!r.tenants().insertApp(app)) {
                throw new DirectoryException(Reason.APP_TAKEN, "app id " + id + " already belongs to another tenant", "app_id");
            }
            Journal.created(r, caller, now, ObjectKind.APP, id, States.app(app));
            return new Issued(app, secret);
        });
    }

    /** Replaces the app's scopes; its tokens are judged by the new ones from the next request on. */
    public App update(Caller caller, String appId, Collection<String> scopes, Set<String> knownScopes) {
        Set<String> granted = requireScopes(scopes, knownScopes, "scopes");
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            App before = require(r, tenantKey, appId);
            App after = new App(before.appId(), tenantKey, before.secretHash(), granted);
            if (!after.scopes().equals(before.scopes())) {
                r.tenants().upsertApp(after);
                Journal.updated(r, caller, now, ObjectKind.APP, before.appId(), States.app(before), States.app(after));
            }
            return after;
        });
    }

    /**
     * Gives the app a new random secret: the next token request needs it, while tokens issued under the old one
     * stay valid for their lifetime. The old secret is retired, so that a seed naming it cannot bring it back.
     */
    public Issued rotateSecret(Caller caller, String appId) {
        String secret = newSecret();
        String hash = Secrets.hashPassword(secret);
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            App before = require(r, tenantKey, appId);
            App after = new App(before.appId(), tenantKey, hash, before.scopes());
            r.tenants().upsertApp(after);
            r.tenants().retireAppSecret(before.appId(), tenantKey, before.secretHash(), now);
            // Nothing a state shows changes (the secret never appears): journalled as replaced so auditors see it.
            Journal.replaced(r, caller, now, ObjectKind.APP, before.appId(), States.app(before), States.app(after));
            return new Issued(after, secret);
        });
    }

    /** Deletes the app: its tokens are refused from the next request on, and its id is not given out again. */
    public void delete(Caller caller, String appId) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            Tenants.require(r, tenantKey);
            App app = require(r, tenantKey, appId);
            r.tenants().deleteApp(app.appId());
            r.tenants().retireAppSecret(app.appId(), tenantKey, app.secretHash(), now);
            Journal.deleted(r, caller, now, ObjectKind.APP, app.appId(), States.app(app));
            return null;
        });
    }

    private static App require(Records r, String tenantKey, String appId) {
        return (appId == null ? java.util.Optional.<App>empty() : r.tenants().app(appId))
                .filter(a -> a.tenantKey().equals(tenantKey))
                .orElseThrow(() -> new DirectoryException(Reason.APP_NOT_FOUND, "app " + appId + " not found"));
    }

    /** The app id as given, when it is 1-64 letters, digits, '_', '.' or '-' starting with a letter or digit. */
    public static String requireAppId(String appId, String field) {
        if (appId == null || !APP_ID.matcher(appId).matches()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    "an app id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit", field);
        }
        return appId;
    }

    /**
     * The scopes as a set: each one of {@code known} (null: any non-blank scope), none named twice; refused
     * naming the first wrong entry ({@code field[i]}).
     */
    public static Set<String> requireScopes(Collection<String> scopes, Set<String> known, String field) {
        if (scopes == null) throw new DirectoryException(Reason.INVALID_ARGUMENT, "scopes are required (an empty list grants none)", field);
        if (scopes.size() > MAX_SCOPES) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "at most " + MAX_SCOPES + " scopes", field);
        }
        Set<String> out = new TreeSet<>();
        int i = 0;
        for (String scope : scopes) {
            String at = field + "[" + i++ + "]";
            if (scope == null || scope.isBlank() || scope.contains(" ")) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "a scope is one word without spaces", at);
            }
            if (known != null && !known.contains(scope)) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "unknown scope " + scope + " (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")", at);
            }
            if (!out.add(scope)) throw new DirectoryException(Reason.INVALID_ARGUMENT, "scope " + scope + " is named twice", at);
        }
        return Set.copyOf(out);
    }

    /** 24 random bytes, URL-safe base64 (32 characters), as long as a platform's app secret. */
    static String newSecret() {
        return Secrets.randomToken(24);
    }

    private static byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        RANDOM.nextBytes(out);
        return out;
    }
}
