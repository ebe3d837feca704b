package mailroom.store;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Directory;
import mailroom.directory.mailbox.Mailboxes.NewMailbox;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Once mailbox writes pause, the search index's segments are merged into one, in steps through the writer, and
 * every search answers exactly what it answered before; a merge changes no object (no kind counts a change).
 */
class SqliteSearchMergeTest {
    @AutoClose
    private SqlStore store;

    private static final List<String> TERMS = List.of("m1", "m12", "box", "Mer", "ge", "x7@", "nobody", "acme.test", "Merge1", "12x19@");

    @Test
    void segmentsLeftByManyWritesAreMergedIntoOneAndSearchesAnswerAsBefore() throws InterruptedException {
        store = (SqlStore) TestServers.openStore(Backend.SQLITE);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        // Each transaction flushes a segment of its own; FTS5's automerge folds four of a level into one.
        for (int batch = 0; batch < 15; batch++) {
            List<NewMailbox> items = new ArrayList<>();
            for (int i = 0; i < 20; i++) items.add(new NewMailbox("m" + batch + "x" + i, "Merge" + i, "Box" + batch));
            assertThat(directory.mailboxes().bulkCreate(as("acme"), "acme.test", items).failed()).isEmpty();
        }
        for (String index : SqlRecords.SEARCH_INDEXES) {
            assertThat(segments(index)).as("segments of %s before the merge", index).isGreaterThanOrEqualTo(SqliteSearchMerge.MIN_SEGMENTS);
        }
        Map<String, List<String>> before = searches(directory);
        OptionalLong mailboxChanges = store.changesTo(ObjectKind.USER_MAILBOX);

        long until = System.nanoTime() + 20_000_000_000L;
        while (segments("user_mailbox_search") > 1 || segments("user_mailbox_search_grams") > 1) {
            assertThat(System.nanoTime()).as("merged into one segment within 20 s").isLessThan(until);
            Thread.sleep(20);
        }
        assertThat(store.searchMergeSteps()).isPositive();
        assertThat(searches(directory)).isEqualTo(before);
        assertThat(before.get("m12")).as("m12x0..m12x19 and the total").hasSize(20 + 1);
        assertThat(store.changesTo(ObjectKind.USER_MAILBOX)).isEqualTo(mailboxChanges);
    }

    private int segments(String index) {
        return store.read(r -> ((SqlRecords) r).handle().createQuery(
                "SELECT COUNT(DISTINCT segid) FROM " + index + "_idx").mapTo(Integer.class).one());
    }

    /** Every page of every term: the addresses found, in order, and the total. */
    private static Map<String, List<String>> searches(Directory directory) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String term : TERMS) {
            List<String> found = new ArrayList<>();
            for (int page = 1; page <= 20; page++) {
                var slice = directory.mailboxes().list(as("acme"), null, null, term, page, 25);
                slice.items().forEach(v -> found.add(v.mailbox().email()));
                found.add("total " + slice.total());
                if (slice.items().size() < 25) break;
            }
            out.put(term, found);
        }
        return out;
    }
}
