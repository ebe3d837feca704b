package mailroom.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;

/**
 * The worlds a sandbox returns to: the seeds' (a reset) and the snapshots taken since, each an image of the
 * whole store in this node's memory, written back in one transaction (docs/adr/0023). A reset also empties the
 * request journal and the faults, puts the clock back and makes the doors forget their rate windows.
 */
public final class SandboxWorlds {
    /** Snapshots kept at most: each holds a copy of every row, so a forgotten loop must not fill the memory. */
    public static final int MAX_SNAPSHOTS = 100;

    /** A named state of the store to return to. */
    public record Snapshot(String id, String name, Instant createdAt, DirectoryStore.Image image) {
        public Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id);
            view.put("name", name);
            view.put("created_at", createdAt.toString());
            view.put("tenants", image.contents().tenants());
            return view;
        }
    }

    /** What a reset did: how many tenants the seeds gave, and how long it took. */
    public record Reset(int tenants, long tookMs) {}

    /** Refused: {@link #MAX_SNAPSHOTS} are kept already. */
    public static final class TooManySnapshots extends RuntimeException {
        TooManySnapshots() {
            super(MAX_SNAPSHOTS + " snapshots are kept already: delete one first", null, false, false);
        }
    }

    private final Sandbox sandbox;
    private final DirectoryStore store;
    private final Runnable revokeTokens;
    private final Runnable forgetRequests;
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    private DirectoryStore.Image seeds;

    /**
     * @param revokeTokens makes every access token issued so far invalid (a new signing key)
     * @param forgetRequests makes the doors forget what they remember of requests (rate windows, failed credentials)
     */
    public SandboxWorlds(Sandbox sandbox, DirectoryStore store, Runnable revokeTokens, Runnable forgetRequests) {
        this.sandbox = sandbox;
        this.store = store;
        this.revokeTokens = revokeTokens;
        this.forgetRequests = forgetRequests;
    }

    /**
     * Before the seeds are applied at start: empties the store, which must be a sandbox's own (or hold no data
     * yet), so that {@code --sandbox} pointed at a real store refuses to start instead of replacing it.
     *
     * @throws IllegalStateException naming what the store holds, when it is not disposable and holds data
     */
    public static void prepare(DirectoryStore store) {
        if (!store.disposable()) {
            DirectoryStore.Contents held = store.contents();
            if (held.rows() > 0) {
                throw new IllegalStateException("--sandbox empties its store at every start and reset, and this store is no "
                        + "sandbox's: it holds " + held.tenants() + " tenant(s) and " + held.rows() + " row(s) of data. "
                        + "Give the sandbox an empty data directory or database (nothing was changed)");
            }
        }
        store.makeDisposable();
    }

    /** After the seeds were applied at start: the world a reset returns to. */
    public synchronized void seeded() {
        seeds = store.capture();
    }

    /** The store back to the seeds' world; the journal, faults, clock and rate windows back to their start. */
    public synchronized Reset reset(boolean revoke) {
        long started = System.nanoTime();
        store.replace(seeds);
        if (revoke) revokeTokens.run();
        sandbox.faults().clear();
        sandbox.journal().clear();
        sandbox.clock().reset();
        forgetRequests.run();
        return new Reset(seeds.contents().tenants(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The store as it is now, kept under a new id. */
    public synchronized Snapshot snapshot(String name) {
        if (snapshots.size() >= MAX_SNAPSHOTS) throw new TooManySnapshots();
        Snapshot taken = new Snapshot("snap_" + Ids.shortId(), name, Instant.ofEpochMilli(sandbox.clock().millis()), store.capture());
        snapshots.put(taken.id(), taken);
        return taken;
    }

    /** Oldest first. */
    public synchronized List<Snapshot> snapshots() {
        return new ArrayList<>(snapshots.values());
    }

    /** The store back to the snapshot (nothing else changes); empty when there is no such snapshot. */
    public synchronized Optional<Snapshot> restore(String id) {
        Snapshot snapshot = snapshots.get(id);
        if (snapshot == null) return Optional.empty();
        store.replace(snapshot.image());
        return Optional.of(snapshot);
    }

    /** The snapshot of that id, if kept. */
    public synchronized Optional<Snapshot> find(String id) {
        return Optional.ofNullable(snapshots.get(id));
    }

    public synchronized boolean delete(String id) {
        return snapshots.remove(id) != null;
    }
}
