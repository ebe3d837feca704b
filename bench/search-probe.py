#!/usr/bin/env python3
"""Times the Hybridbox list's search query on a copy of a Mailroom SQLite file, under other ways of asking the
trigram index (ADR 0038's amendment): the phrase the store sends, and subsets of the term's trigrams that the LIKE
then rechecks. Read-only; uses Python's own SQLite (the system library, not the one in Mailroom's jar).

    bench/search-probe.py COPY_OF_mailroom.db N [TERMS]

N is how many bench mailboxes the file holds (u0..u<N-1>@bench.test, as scripts/bench-vs-peer.sh provisions them);
TERMS (default 400) random local parts are asked, and the 32 name words 12 times each, twice over (the second pass
is the one to read: the first warms the page cache).
"""
import random
import sqlite3
import sys
import time

WORDS = ("Ann Bruno Chen Dara Emil Fatima Goran Hana Ivan Jun Kofi Lena Mateo Nia Omar Priya Alvarez Berg Costa Dubois "
         "Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau Novak Okafor Petrov").split()
# The store's listing query (SqlMailboxRecords.rows/list) for a search the index serves, first page of 25.
LIST = ("SELECT b.*, d.name AS domain_name FROM user_mailbox_search s CROSS JOIN user_mailbox b ON b.seq = s.rowid"
        " JOIN domain d ON d.id = b.domain_id WHERE b.tenant_key = ? AND b.status <> 'RECYCLED'"
        " AND (LOWER(b.email) LIKE ? ESCAPE '!' OR LOWER(b.first_name) LIKE ? ESCAPE '!'"
        " OR LOWER(b.last_name) LIKE ? ESCAPE '!') AND s.user_mailbox_search MATCH ? ORDER BY s.rowid LIMIT 25")


def grams(t):
    return [t[i:i + 3] for i in range(len(t) - 2)]


def phrase(t):
    """What the store sends: every trigram, in order (FTS5 checks their positions)."""
    return '"%s"' % t


def cover(t):
    """Trigrams that cover the term without overlapping (plus the last one), ANDed: fewer lists, no positions."""
    at = list(range(0, len(t) - 2, 3))
    if at[-1] != len(t) - 3:
        at.append(len(t) - 3)
    return " AND ".join('"%s"' % t[i:i + 3] for i in at)


def main():
    path, size = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, user_mailbox_search, row)")
    docs = {}

    def frequency(g):
        if g not in docs:
            row = db.execute("SELECT doc FROM vocab WHERE term = ?", (g,)).fetchone()
            docs[g] = row[0] if row else 0
        return docs[g]

    def rarest_two(t):
        """The two trigrams in the fewest rows (counted once per trigram, outside the timing), ANDed."""
        return " AND ".join('"%s"' % g for g in sorted(set(grams(t)), key=frequency)[:2])

    def rarest_window(t):
        """The five-character part of the term whose three trigrams are in the fewest rows, as a phrase."""
        if len(t) <= 5:
            return phrase(t)
        best = min(range(len(t) - 4), key=lambda i: sum(frequency(g) for g in grams(t[i:i + 5])))
        return phrase(t[best:best + 5])

    random.seed(3)
    terms = ["u%d" % random.randrange(size) for _ in range(count)]
    for t in terms + WORDS:
        for g in grams(t.lower()):
            frequency(g)
    segments = db.execute("SELECT COUNT(DISTINCT segid) FROM user_mailbox_search_idx").fetchone()[0]
    print("SQLite %s, %s (index of %d segments): %d local parts, %d name words; ms per query, rows returned" %
          (sqlite3.sqlite_version, path, segments, count, len(WORDS) * 12))
    for rnd in (1, 2):
        for name, match in (("phrase", phrase), ("cover", cover), ("rarest_two", rarest_two),
                            ("rarest_window", rarest_window)):
            line = []
            for label, asked in (("local parts", terms), ("name words", WORDS * 12)):
                t0, rows = time.perf_counter(), 0
                for t in asked:
                    like = "%" + t.lower() + "%"
                    rows += len(db.execute(LIST, ("bench", like, like, like, match(t.lower()))).fetchall())
                line.append("%s %.3f (%d)" % (label, (time.perf_counter() - t0) * 1000 / len(asked), rows))
            print("round %d  %-13s %s" % (rnd, name, "   ".join(line)))


if __name__ == "__main__":
    main()
