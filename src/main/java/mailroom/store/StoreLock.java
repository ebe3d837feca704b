package mailroom.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock a SQLite store holds on {@code DATA/mailroom.lock} for its whole life (an OS file lock,
 * released by the OS when the process ends, however it ends): a second server on the same data directory, or
 * a restore while a server runs, finds it taken. The file holds the holder's process id, for the message.
 */
public final class StoreLock implements AutoCloseable {
    public static final String FILE = "mailroom.lock";

    /**
     * Lock files this JVM holds. A second lock attempt in the same process must not even open the file:
     * closing any channel of a file drops every POSIX lock the process holds on it, the first one included.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** The data directory is in use: a server (or a restore) holds its lock. */
    public static final class Held extends IllegalStateException {
        private final String holder;

        Held(Path file, Long pid) {
            super("in use by another Mailroom server (" + holder(file, pid) + ")");
            this.holder = holder(file, pid);
        }

        private static String holder(Path file, Long pid) {
            return pid == null ? file + " is locked" : "pid " + pid + " holds " + file;
        }

        /** "pid 1234 holds data/mailroom.lock", or "data/mailroom.lock is locked" when the holder did not say. */
        public String holder() {
            return holder;
        }
    }

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dataDir} (which must exist) or throws {@link Held} saying who has it. */
    public static StoreLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Path key;
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it first; it is locked below, or not
                }
            }
            key = file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
        if (!HELD.add(key)) throw new Held(file, ProcessHandle.current().pid());
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                Long pid = holder(channel);
                channel.close();
                HELD.remove(key);
                throw new Held(file, pid);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new StoreLock(key, channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
            HELD.remove(key);
            if (e instanceof NoSuchFileException) throw new UncheckedIOException("cannot open " + file + ": no such file", e);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The process id the holder wrote, read through our own channel (which holds no lock); null if unreadable. */
    private static Long holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("\\d{1,19}") ? Long.parseLong(text) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it as well
        }
        try {
            channel.close();
        } catch (IOException e) {
            // the OS drops the lock with the descriptor
        } finally {
            HELD.remove(key);
        }
    }
}
