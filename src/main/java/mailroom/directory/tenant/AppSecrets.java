package mailroom.directory.tenant;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import mailroom.directory.DirectoryStore;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.tenant.Tenants.AppSpec;

/**
 * The PBKDF2 work of provisioning apps, which is most of what a seed costs: one verification for an app
 * whose hash is stored (an unchanged secret is checked, never hashed again), one hash for a new or
 * changed secret. It runs on its own threads and before the provisioning transaction, so start-up can
 * begin it as soon as the store is open and build everything else meanwhile. A secret that does not match is
 * also checked against the app's retired secrets (rotated away through the operator door), which a seed must
 * not bring back.
 */
public final class AppSecrets {
    /**
     * What one secret came to against the hash stored when the work began (null: none was stored): whether it
     * matches, whether it is one of the app's retired secrets, and a new hash when it is neither.
     */
    private record Outcome(String checkedHash, boolean matches, boolean retired, String freshHash) {}

    /** An app's stored hash (null: no app) and the hashes of the secrets it no longer takes. */
    private record Stored(String hash, List<String> retired) {
        static final Stored NONE = new Stored(null, List.of());
    }

    /** Apps are told apart by id and secret: two seeds may name one app with different secrets. */
    private record Key(String appId, String secret) {}

    private final Map<Key, ? extends Future<Outcome>> work;

    private AppSecrets(Map<Key, ? extends Future<Outcome>> work) {
        this.work = work;
    }

    /** Starts reading the stored hashes of {@code apps} and then verifying (or hashing) every secret; answers at once. */
    static AppSecrets start(DirectoryStore store, List<AppSpec> apps) {
        return start(apps, keys -> store.read(r -> {
            Map<Key, Stored> hashes = new HashMap<>();
            for (Key key : keys) {
                String hash = r.tenants().app(key.appId()).map(App::secretHash).orElse(null);
                hashes.put(key, new Stored(hash, r.tenants().retiredAppSecrets(key.appId())));
            }
            return hashes;
        }));
    }

    /**
     * For a store that does not exist yet, so holds no hash: starts hashing every secret of these specs at once,
     * while the store is being created. Should an app be stored after all, provisioning checks it as usual.
     */
    public static AppSecrets forEmptyStore(List<Tenants.TenantSpec> specs) {
        return start(specs.stream().flatMap(spec -> spec.apps().stream()).toList(), keys -> {
            Map<Key, Stored> none = new HashMap<>();
            keys.forEach(key -> none.put(key, Stored.NONE));
            return none;
        });
    }

    private static AppSecrets start(List<AppSpec> apps, Function<Set<Key>, Map<Key, Stored>> storedHashes) {
        Set<Key> keys = new LinkedHashSet<>();
        apps.forEach(app -> keys.add(key(app)));
        if (keys.isEmpty()) return new AppSecrets(Map.of());
        // At most half the cores: on a small machine the rest of start-up and the JIT need the others, and a
        // second PBKDF2 on a thread the first has warmed up costs a fraction of it.
        int threads = Math.max(1, Math.min(keys.size(), Runtime.getRuntime().availableProcessors() / 2));
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mailroom-secrets-", 1).daemon(true).factory());
        // The stored hashes are read on the pool too, so that the caller goes on at once.
        CompletableFuture<Map<Key, Stored>> stored = CompletableFuture.supplyAsync(() -> storedHashes.apply(keys), pool);
        Map<Key, CompletableFuture<Outcome>> work = new HashMap<>();
        for (Key key : keys) work.put(key, stored.thenApplyAsync(hashes -> outcome(key.secret(), hashes.get(key)), pool));
        CompletableFuture.allOf(work.values().toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> pool.shutdown());
        return new AppSecrets(Map.copyOf(work));
    }

    private static Outcome outcome(String secret, Stored stored) {
        // A deleted app (retired secrets, no app) stays deleted: provisioning skips it, nothing to work out.
        if (stored.hash() == null && !stored.retired().isEmpty()) return new Outcome(null, false, false, null);
        boolean matches = stored.hash() != null && Secrets.verifyPassword(secret, stored.hash());
        boolean retired = !matches && stored.hash() != null && isRetired(secret, stored.retired());
        return new Outcome(stored.hash(), matches, retired, matches || retired ? null : Secrets.hashPassword(secret));
    }

    private static boolean isRetired(String secret, List<String> retiredHashes) {
        return retiredHashes.stream().anyMatch(hash -> Secrets.verifyPassword(secret, hash));
    }

    /** Waits until every secret is worked out, so that the transaction that uses them does not wait. */
    void awaitAll() {
        work.values().forEach(AppSecrets::get);
    }

    /** Whether the app's secret is the one {@code storedHash} was made from: the prepared answer if it was worked out against this hash. */
    boolean matches(AppSpec app, String storedHash) {
        Outcome outcome = prepared(app);
        if (outcome != null && Objects.equals(outcome.checkedHash(), storedHash)) return outcome.matches();
        return Secrets.verifyPassword(app.secret(), storedHash);
    }

    /**
     * Whether the app's secret, which does not match {@code storedHash}, is one of its {@code retiredHashes}: the
     * prepared answer if it was worked out against this hash.
     */
    boolean retired(AppSpec app, String storedHash, List<String> retiredHashes) {
        Outcome outcome = prepared(app);
        if (outcome != null && outcome.checkedHash() != null && outcome.checkedHash().equals(storedHash)) return outcome.retired();
        return isRetired(app.secret(), retiredHashes);
    }

    /** A new hash of the app's secret, made ahead when the secret did not match what was stored. */
    String hash(AppSpec app) {
        Outcome outcome = prepared(app);
        return outcome != null && outcome.freshHash() != null ? outcome.freshHash() : Secrets.hashPassword(app.secret());
    }

    private Outcome prepared(AppSpec app) {
        Future<Outcome> future = work.get(key(app));
        return future == null ? null : get(future);
    }

    private static Key key(AppSpec app) {
        return new Key(app.appId(), app.secret());
    }

    private static Outcome get(Future<Outcome> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
