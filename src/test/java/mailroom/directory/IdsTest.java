package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The UUIDs the directory makes: version 7, the time they were made in front, unique. */
class IdsTest {
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
