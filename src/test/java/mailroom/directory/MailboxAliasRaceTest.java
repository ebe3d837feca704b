package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.testing.ForwardingStore;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An alias added while its mailbox is deleted and released: the alias transaction must hold the tenant
 * lock before it resolves the mailbox, or the mailbox can be gone by the time the alias is claimed and
 * the alias is left owned by nothing. The store pauses the alias transaction right after it has found the
 * mailbox and lets the deletion run meanwhile, as far as it can.
 */
class MailboxAliasRaceTest {
    @AutoClose
    private DirectoryStore inner;

    /** A store that runs {@code hook} once, in a write of {@code hookThread}, just after a mailbox lookup. */
    static final class PausingStore extends ForwardingStore {
        final AtomicReference<Runnable> hook = new AtomicReference<>();
        volatile Thread hookThread;

        PausingStore(DirectoryStore inner) {
            super(inner);
        }

        @Override
        public <T> T write(Function<Records, T> work) {
            // Decided on the calling thread: with group commit the work itself runs on the writer thread.
            boolean pauses = Thread.currentThread() == hookThread;
            return inner.write(r -> work.apply(pauses ? pausing(r) : r));
        }

        private Records pausing(Records r) {
            return (Records) Proxy.newProxyInstance(Records.class.getClassLoader(), new Class<?>[]{Records.class},
                    (p, m, args) -> {
                        Object result = call(m, r, args);
                        if (!m.getName().equals("mailboxes")) return result;
                        Records.MailboxRecords boxes = (Records.MailboxRecords) result;
                        return Proxy.newProxyInstance(Records.class.getClassLoader(),
                                new Class<?>[]{Records.MailboxRecords.class}, (p2, m2, args2) -> {
                                    Object found = call(m2, boxes, args2);
                                    if (m2.getName().equals("find")) {
                                        Runnable h = hook.getAndSet(null);
                                        if (h != null) h.run();
                                    }
                                    return found;
                                });
                    });
        }

        private static Object call(Method m, Object target, Object[] args) throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAliasAddedWhileItsMailboxIsDeletedAndReleasedIsNeverLeftWithoutOwner(Backend backend) throws Exception {
        inner = TestServers.openStore(backend);
        PausingStore store = new PausingStore(inner);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        String id = directory.mailboxes().create(as("acme"), "acme-mail.test",
                new Mailboxes.NewMailbox("racer", "R", "R")).mailbox().id();
        String alias = "racer.alias@acme-mail.test";

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // the deletion: out of service through Hybridbox, then released through Feishu (the row is gone)
            Callable<Void> deleteAndRelease = () -> {
                directory.mailboxes().delete(as("acme"), id);
                directory.mailboxes().release(as("acme"), id, null);
                return null;
            };
            store.hook.set(() -> {
                Future<Void> deletion = pool.submit(deleteAndRelease);
                try {
                    deletion.get(2, TimeUnit.SECONDS); // finishes only if nothing holds the tenant lock
                } catch (TimeoutException expected) {
                    // it waits for our lock: the alias transaction commits first, the release then frees both
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Future<Object> add = pool.submit(() -> {
                store.hookThread = Thread.currentThread();
                try {
                    return directory.mailboxes().addAlias(as("acme"), id, alias, false);
                } catch (DirectoryException e) {
                    return e.reason();
                }
            });
            add.get(60, TimeUnit.SECONDS);
            assertThat(store.hook.get()).as("the alias transaction paused and let the deletion run").isNull();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        Optional<UserMailbox> mailbox = inner.read(r -> r.mailboxes().find("acme", id));
        Optional<AddressEntry> left = inner.read(r -> r.addresses().find(alias));
        assertThat(mailbox).as("the mailbox is released").isEmpty();
        assertThat(left).as("no alias is left without its mailbox").isEmpty();
    }
}
