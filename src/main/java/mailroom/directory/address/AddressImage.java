package mailroom.directory.address;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import mailroom.directory.Change;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryStore;
import mailroom.directory.mailbox.MailboxStatus;

/**
 * Every address of an embedded store with its users/query answer (kind and owner's state), held compactly in
 * memory and kept current by one thread that follows the change journal, so that users/query reads nothing at
 * any size: at a million mailboxes asked about at random, answers kept per address (ADR 0033) never hit.
 *
 * <p>The image answers only while the store vouches that no change to an address's kinds committed since it
 * was brought up to date (the same mark as {@link mailroom.directory.KindCache}); else its caller reads the
 * store. The follower applies what only adds an address (a mailbox, group or alias created) and builds the image
 * anew after anything else (a removal, a pause, a renamed address, a replacement of the data whole), at most
 * once in ten times as long as a build took, so rebuilding never takes more than a tenth of a core.
 */
final class AddressImage {
    private static final System.Logger LOG = System.getLogger(AddressImage.class.getName());

    /** No image beyond this many addresses: users/query then reads the store as before, until the next start. */
    static final int MAX_ADDRESSES = 4_000_000;
    /** Journal entries read per catch-up transaction. */
    private static final int BATCH = 2_000;
    /** A build may start again only after this many times its own duration has passed since it started. */
    private static final long REBUILD_SPACING = 10;
    /**
     * How long the follower lets writes gather after one wakes it: a stream of creates is then read a batch at a
     * time, not a transaction per commit.
     */
    private static final long GATHER_NANOS = 20_000_000;

    private static final AddressLookup.Status[] STATUSES = {
        AddressLookup.Status.ENABLED, AddressLookup.Status.DISABLED, AddressLookup.Status.RECYCLED};

    private final DirectoryStore store;
    /** The store's count of changes to every kind an answer depends on ({@code KindCache.mark}). */
    private final Supplier<OptionalLong> mark;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile Table table;
    private volatile Thread follower;
    private long lastBuildStart;
    private long lastBuildNanos;
    private volatile int builds;
    /** A build found more than {@link #MAX_ADDRESSES}: no other is tried until the next start. */
    private boolean tooLarge;
    private boolean listening;

    AddressImage(DirectoryStore store, Supplier<OptionalLong> mark) {
        this.store = store;
        this.mark = mark;
    }

    /**
     * The image when it is current under {@code changes} (taken by the mark before the caller's own read), else
     * null, and the follower is started or woken to bring it up to date.
     */
    Table current(OptionalLong changes) {
        if (changes.isEmpty()) return null;
        Table t = table;
        if (t != null && t.mark == changes.getAsLong()) return t;
        if (follower == null) start();
        signal();
        return null;
    }

    private synchronized void start() {
        if (follower != null) return;
        if (!listening) {
            store.onJournalled(this::signal);
            listening = true;
        }
        // A platform thread: a build spends seconds in native SQLite calls, which would hold one of the few carriers
        // that every request's virtual thread runs on.
        follower = Thread.ofPlatform().name("mailroom-address-image").daemon(true).start(this::follow);
    }

    private void signal() {
        Thread f = follower;
        woken.set(true);
        if (f != null) LockSupport.unpark(f);
    }

    private void follow() {
        while (true) {
            try {
                step();
            } catch (RuntimeException | InterruptedException e) {
                // The store failed or closed: users/query reads the store, and a later one starts over.
                LOG.log(Level.WARNING, "the address image stops: {0}", e.toString());
                stop();
                return;
            }
            if (!woken.getAndSet(false)) LockSupport.park(this);
            if (table != null && !sleep(GATHER_NANOS)) return;
        }
    }

    private synchronized void stop() {
        table = null;
        follower = null;
    }

    /** Sleeps (a wake does not cut it short); false, the follower stopped, when interrupted. */
    private boolean sleep(long nanos) {
        try {
            Thread.sleep(java.time.Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            stop();
            return false;
        }
    }

    /** Brings the image up to the store's mark, or builds it when it cannot. */
    private void step() throws InterruptedException {
        while (true) {
            OptionalLong now = mark.get();
            if (now.isEmpty()) return;
            Table t = table;
            if (t == null) {
                if (tooLarge) return;
                long due = lastBuildStart + REBUILD_SPACING * lastBuildNanos - System.nanoTime();
                if (lastBuildNanos > 0 && due > 0) {
                    Thread.sleep(java.time.Duration.ofNanos(due));
                    continue;
                }
                table = build(now.getAsLong());
                return;
            }
            if (t.mark == now.getAsLong()) return;
            if (!catchUp(t, now.getAsLong())) {
                table = null;
                continue;
            }
            if (t.mark == now.getAsLong()) return;
        }
    }

    /** What one catch-up transaction read: the journal's position and the entries after the image's. */
    private record Journal(long replacements, long lastSeq, List<Change.Entry> entries) {}

    /**
     * Applies the journal's next entries; answers false when the image must be built anew. Once it has applied
     * every entry up to the last one the transaction saw, the image is current under {@code changes} (taken
     * before: every change it counts had committed, journalled, when the transaction began).
     */
    private boolean catchUp(Table t, long changes) {
        Journal j = store.read(r -> new Journal(r.journal().replacements(), r.journal().lastSeq(),
                r.journal().after(t.seq, BATCH)));
        if (j.replacements() != t.replacements) return false;
        long expected = t.seq;
        for (Change.Entry e : j.entries()) {
            // Numbers have no gaps: one missing was pruned before the image saw it.
            if (e.seq() != ++expected) return false;
            if (!t.apply(e.change())) {
                LOG.log(Level.DEBUG, "address image to be built again after {0} {1} of {2}", e.change().op(),
                        e.change().objectKind(), e.change().objectId());
                return false;
            }
        }
        if (expected == j.lastSeq()) {
            t.seq = expected;
            t.mark = changes;
        } else if (j.entries().isEmpty()) {
            return false;
        } else {
            t.seq = expected;
        }
        return true;
    }

    /** How many builds began. */
    int builds() {
        return builds;
    }

    private Table build(long changes) {
        builds++;
        long start = System.nanoTime();
        Table t;
        try {
            t = store.read(r -> {
                Table fresh = new Table(r.journal().replacements(), r.journal().lastSeq());
                r.addresses().forEachOwned(fresh::put);
                return fresh;
            });
        } catch (TooLarge e) {
            tooLarge = true;
            LOG.log(Level.INFO, "more addresses than the address image holds ({0}); users/query reads the store",
                    MAX_ADDRESSES);
            return null;
        } finally {
            lastBuildStart = start;
            lastBuildNanos = System.nanoTime() - start;
        }
        // A build long enough to notice (a large namespace) is worth an operator's line; a short one is not.
        LOG.log(lastBuildNanos >= 1_000_000_000L ? Level.INFO : Level.DEBUG, "address image of {0} addresses built in {1} ms",
                t.size, lastBuildNanos / 1_000_000);
        t.mark = changes;
        return t;
    }

    /** Thrown from a build that reached {@link #MAX_ADDRESSES}: the image would cost more memory than it is worth. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * The addresses and their answers: an open-addressing table of longs, each an entry's place in an append-only
     * byte arena, some bits of its hash and its answer's code, written by the follower alone and read by any thread.
     * An entry's bytes are written before its slot is (release), and a slot is read before the bytes (acquire).
     */
    static final class Table {
        private static final int CHUNK_BITS = 20;
        private static final int CHUNK = 1 << CHUNK_BITS;
        private static final int FIRST_CHUNK = 1 << 14;
        private static final AddressKind[] KINDS = AddressKind.values();

        final long replacements;
        /** The last journal entry applied; the follower's alone. */
        long seq;
        /** The store's mark the image is current under; -1 while it is not yet. */
        volatile long mark = -1;
        private volatile AtomicLongArray slots = new AtomicLongArray(1 << 12);
        private volatile byte[][] chunks = new byte[1][];
        private int chunk;
        private int used;
        int size;

        Table(long replacements, long seq) {
            this.replacements = replacements;
            this.seq = seq;
            // Small at first: a store of a few addresses (and every test's) should not cost a megabyte.
            chunks[0] = new byte[FIRST_CHUNK];
        }

        /** The answer's code of an address ({@link #kind}, {@link #status}), or 0 when nobody owns it. */
        int get(String address) {
            byte[] key = address.getBytes(StandardCharsets.UTF_8);
            AtomicLongArray s = slots;
            int mask = s.length() - 1;
            for (int i = mix(address.hashCode()) & mask; ; i = (i + 1) & mask) {
                long slot = s.get(i);
                if (slot == 0) return 0;
                if (tag(slot) == tag(address.hashCode()) && matches(place(slot), address.hashCode(), key)) {
                    return (int) (slot & 0xff);
                }
            }
        }

        static AddressKind kind(int code) {
            return KINDS[(code - 1) / 3];
        }

        static AddressLookup.Status status(int code) {
            return STATUSES[(code - 1) % 3];
        }

        private static int code(AddressKind kind, MailboxStatus status) {
            return 1 + kind.ordinal() * 3 + switch (status) {
                case ACTIVE -> 0;
                case PAUSED -> 1;
                case RECYCLED -> 2;
            };
        }

        void put(OwnedAddress a) {
            if (size >= MAX_ADDRESSES) throw new TooLarge();
            put(a.address(), code(a.kind(), a.ownerStatus()));
        }

        private void put(String address, int code) {
            byte[] key = address.getBytes(StandardCharsets.UTF_8);
            int hash = address.hashCode();
            AtomicLongArray s = slots;
            int mask = s.length() - 1;
            int i = mix(hash) & mask;
            for (; ; i = (i + 1) & mask) {
                long slot = s.get(i);
                if (slot == 0) break;
                if (tag(slot) == tag(hash) && matches(place(slot), hash, key)) {
                    s.setRelease(i, (slot & ~0xffL) | code);
                    return;
                }
            }
            s.setRelease(i, append(hash, key) << 24 | (long) tag(hash) << 8 | code);
            if (++size * 3 > s.length() * 2) grow();
        }

        /** Rebuilds the slots twice as large; readers go on with the old ones until the new ones are published. */
        private void grow() {
            AtomicLongArray old = slots;
            AtomicLongArray bigger = new AtomicLongArray(old.length() * 2);
            int mask = bigger.length() - 1;
            for (int j = 0; j < old.length(); j++) {
                long slot = old.get(j);
                if (slot == 0) continue;
                int i = mix(hashAt(place(slot))) & mask;
                while (bigger.get(i) != 0) i = (i + 1) & mask;
                bigger.setPlain(i, slot);
            }
            slots = bigger;
        }

        /** Writes an entry (hash, length, bytes) to the arena; answers its place. */
        private long append(int hash, byte[] key) {
            int length = 6 + key.length;
            if (used + length > chunks[chunk].length) {
                byte[][] more = Arrays.copyOf(chunks, chunks.length + 1);
                // Each chunk twice the last, up to CHUNK (an entry is far shorter than FIRST_CHUNK).
                more[chunks.length] = new byte[Math.min(CHUNK, chunks[chunk].length * 2)];
                chunk = chunks.length;
                used = 0;
                chunks = more;
            }
            byte[] c = chunks[chunk];
            int at = used;
            c[at] = (byte) (hash >>> 24);
            c[at + 1] = (byte) (hash >>> 16);
            c[at + 2] = (byte) (hash >>> 8);
            c[at + 3] = (byte) hash;
            c[at + 4] = (byte) (key.length >>> 8);
            c[at + 5] = (byte) key.length;
            System.arraycopy(key, 0, c, at + 6, key.length);
            used += length;
            return ((long) chunk << CHUNK_BITS) | at;
        }

        /** A slot: the entry's place in the arena (bits 24–63), 16 bits of its hash (8–23) and its code (0–7). */
        private static long place(long slot) {
            return slot >>> 24;
        }

        /** The hash bits a slot keeps, so that a probe passes most other entries without reading the arena. */
        private static int tag(long slot) {
            return (int) (slot >>> 8) & 0xffff;
        }

        private static int tag(int hash) {
            return hash >>> 16;
        }

        private int hashAt(long place) {
            byte[] c = chunks[(int) (place >>> CHUNK_BITS)];
            int at = (int) (place & (CHUNK - 1));
            return (c[at] & 0xff) << 24 | (c[at + 1] & 0xff) << 16 | (c[at + 2] & 0xff) << 8 | (c[at + 3] & 0xff);
        }

        private boolean matches(long place, int hash, byte[] key) {
            byte[] c = chunks[(int) (place >>> CHUNK_BITS)];
            int at = (int) (place & (CHUNK - 1));
            if (hashAt(place) != hash) return false;
            int length = (c[at + 4] & 0xff) << 8 | (c[at + 5] & 0xff);
            return length == key.length && Arrays.equals(c, at + 6, at + 6 + length, key, 0, length);
        }

        private static int mix(int hash) {
            int h = hash * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        /**
         * Applies one journalled change: answers false when the image cannot follow it by adding an address
         * (it must then be built anew). Kinds no answer depends on are passed over.
         */
        boolean apply(Change c) {
            return switch (c.objectKind()) {
                case USER_MAILBOX, PUBLIC_MAILBOX, MAIL_GROUP -> switch (c.op()) {
                    case CREATE -> owner(c.objectKind(), c.after());
                    case UPDATE -> unchanged(c.before(), c.after(), "address") && unchanged(c.before(), c.after(), "status");
                    case DELETE, RECYCLE -> false;
                };
                case USER_MAILBOX_ALIAS, PUBLIC_MAILBOX_ALIAS, MAIL_GROUP_ALIAS -> c.op() == Change.Op.CREATE && alias(c);
                // A tenant, domain or user created names no address; anything else of theirs may take addresses away.
                case TENANT, DOMAIN, USER -> c.op() == Change.Op.CREATE;
                default -> true;
            };
        }

        private boolean owner(ObjectKind kind, Map<String, Object> after) {
            if (!(after.get("address") instanceof String address)) return false;
            MailboxStatus status = kind == ObjectKind.MAIL_GROUP ? MailboxStatus.ACTIVE
                    : after.get("status") instanceof String s ? MailboxStatus.valueOf(s) : null;
            if (status == null) return false;
            put(address, code(switch (kind) {
                case USER_MAILBOX -> AddressKind.USER_MAILBOX;
                case PUBLIC_MAILBOX -> AddressKind.PUBLIC_MAILBOX;
                default -> AddressKind.MAIL_GROUP;
            }, status));
            return true;
        }

        /** An alias takes its owner's state, which the image holds under the owner's primary address. */
        private boolean alias(Change c) {
            Map<String, Object> after = c.after();
            if (!(after.get("address") instanceof String address) || !(after.get("owner") instanceof String owner)) return false;
            int ownerCode = get(owner);
            if (ownerCode == 0) return false;
            AddressKind kind = switch (c.objectKind()) {
                case USER_MAILBOX_ALIAS -> AddressKind.USER_ALIAS;
                case PUBLIC_MAILBOX_ALIAS -> AddressKind.PUBLIC_ALIAS;
                default -> AddressKind.GROUP_ALIAS;
            };
            put(address, 1 + kind.ordinal() * 3 + (ownerCode - 1) % 3);
            return true;
        }

        private static boolean unchanged(Map<String, Object> before, Map<String, Object> after, String field) {
            return before != null && after != null && java.util.Objects.equals(before.get(field), after.get(field));
        }
    }
}
