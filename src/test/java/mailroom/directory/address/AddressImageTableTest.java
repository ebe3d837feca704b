package mailroom.directory.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mailroom.directory.mailbox.MailboxStatus;
import org.junit.jupiter.api.Test;

/**
 * The address image's table past its first sizes: the slots grown many times and the arena spread over many
 * chunks still find every address with its own answer and none it does not hold, also while a reader looks up
 * what was put before as the one writer goes on putting.
 */
class AddressImageTableTest {
    private static final int COUNT = 200_000;

    private static OwnedAddress nth(int i) {
        AddressKind kind = AddressKind.values()[i % AddressKind.values().length];
        MailboxStatus status = MailboxStatus.values()[(i / 7) % MailboxStatus.values().length];
        // Lengths vary, and some addresses are not ASCII, so entries straddle chunk ends in every way.
        return new OwnedAddress("u" + i + (i % 3 == 0 ? "-é" : "") + "x".repeat(i % 40) + "@d" + (i % 11) + ".test", kind, status);
    }

    private static void assertAnswers(AddressImage.Table table, int i) {
        OwnedAddress a = nth(i);
        int code = table.get(a.address());
        assertThat(code).as("code of %s", a.address()).isPositive();
        assertThat(AddressImage.Table.kind(code)).as("kind of %s", a.address()).isEqualTo(a.kind());
        AddressLookup.Status expected = switch (a.ownerStatus()) {
            case ACTIVE -> AddressLookup.Status.ENABLED;
            case PAUSED -> AddressLookup.Status.DISABLED;
            case RECYCLED -> AddressLookup.Status.RECYCLED;
        };
        assertThat(AddressImage.Table.status(code)).as("status of %s", a.address()).isEqualTo(expected);
    }

    @Test
    void everyAddressPutIsFoundWithItsAnswerAndNoOtherIs() {
        AddressImage.Table table = new AddressImage.Table(0, 0);
        for (int i = 0; i < COUNT; i++) table.put(nth(i));
        assertThat(table.size).isEqualTo(COUNT);
        for (int i = 0; i < COUNT; i++) assertAnswers(table, i);
        for (int i = COUNT; i < COUNT + 10_000; i++) assertThat(table.get(nth(i).address())).isZero();
        assertThat(table.get("U1@d1.test")).as("keys are exact: the image holds normalised addresses").isZero();
        // Putting an address again replaces its answer and adds nothing.
        table.put(new OwnedAddress(nth(5).address(), AddressKind.GROUP_ALIAS, MailboxStatus.ACTIVE));
        assertThat(table.size).isEqualTo(COUNT);
        assertThat(AddressImage.Table.kind(table.get(nth(5).address()))).isEqualTo(AddressKind.GROUP_ALIAS);
    }

    @Test
    void aReaderFindsWhatWasPutBeforeWhileTheWriterGoesOn() throws InterruptedException {
        AddressImage.Table table = new AddressImage.Table(0, 0);
        AtomicInteger published = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                int probe = 0;
                while (published.get() < COUNT) {
                    int upTo = published.get();
                    if (upTo > 0) assertAnswers(table, probe++ % upTo);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int i = 0; i < COUNT; i++) {
            table.put(nth(i));
            published.set(i + 1);
        }
        reader.join();
        assertThat(failure.get()).isNull();
    }
}
