package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The ids the directory makes: short ids that sort by their making and never repeat, random ones, version 7 UUIDs. */
class IdsTest {
    @Test
    void shortIdsAreSixteenCharactersThatSortByTheMillisecondTheyWereMadeIn() {
        long before = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) ids.add(Ids.shortId());
        long after = System.currentTimeMillis();

        assertThat(ids).allSatisfy(id -> assertThat(id).matches("[0-9a-z]{16}"));
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted();
        assertThat(ids).allSatisfy(id -> assertThat(Long.parseLong(id.substring(0, 8), 36) + Ids.EPOCH_MILLIS)
                .isBetween(before, after));
    }

    @Test
    void aClockSetBackKeepsCountingInTheLastMillisecondItSaw() {
        long now = System.currentTimeMillis();
        String first = Ids.shortIdAt(now);
        String afterTheClockWentBack = Ids.shortIdAt(now - 5_000);
        String next = Ids.shortIdAt(now - 4_000);

        assertThat(List.of(first, afterTheClockWentBack, next)).isSorted().doesNotHaveDuplicates();
        assertThat(afterTheClockWentBack.substring(0, 8)).isEqualTo(first.substring(0, 8));
        assertThat(Long.parseLong(afterTheClockWentBack.substring(8), 36)).isEqualTo(Long.parseLong(first.substring(8), 36) + 1);
        assertThat(next.substring(0, 8)).isEqualTo(first.substring(0, 8));
        // A later millisecond starts its count afresh, in the lower half of the eight characters' values.
        String later = Ids.shortIdAt(now + 1);
        assertThat(Long.parseLong(later.substring(0, 8), 36) + Ids.EPOCH_MILLIS).isEqualTo(now + 1);
        assertThat(Long.parseLong(later.substring(8), 36)).isLessThan((long) Math.pow(36, 8) / 2);
    }

    @Test
    void shortIdsMadeOnManyThreadsAtOnceNeverRepeat() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 10_000; i++) ids.add(Ids.shortId());
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(ids).hasSize(80_000);
    }

    @Test
    void randomShortIdsAreSixteenRandomCharacters() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) ids.add(Ids.randomShortId());
        assertThat(ids).allSatisfy(id -> assertThat(id).matches("[0-9a-z]{16}"));
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isNotEqualTo(ids.stream().sorted().toList()); // not in the order they were made
    }

    @Test
    void uuidsAreVersionSevenOrderedByTheirMillisecondAndUnique() {
        long before = System.currentTimeMillis();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) ids.add(UUID.fromString(Ids.uuid()));
        long after = System.currentTimeMillis();

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2); // RFC 9562's variant, 10xx
        });
        List<Long> millis = ids.stream().map(id -> id.getMostSignificantBits() >>> 16).toList();
        assertThat(millis).isSorted().allSatisfy(ms -> assertThat(ms).isBetween(before, after));
        // The text form sorts like the time: what the indexes on the id columns see.
        List<String> text = ids.stream().map(id -> id.toString().substring(0, 13)).toList();
        assertThat(text).isSorted();
    }
}
