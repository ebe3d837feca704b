#!/usr/bin/env python3
"""Times one search of five characters or more three ways (ADR 0039), on synthetic tables shaped like the bench's
mailboxes (u<i>@bench.test with its name words), at 10,000 and 1,000,000 rows: through the trigram index (the phrase
the store sent before), through an index of five-character grams with positions (the phrase), and through one
without positions (an AND of grams that cover the term, what the store sends now). Each query is the list's own,
page of 25, with the LIKE re-checking the candidates. Uses Python's own SQLite; builds its files once in DIR.

    bench/search-grams-probe.py DIR

2,000 local parts are drawn (seed 1) per size and those of five characters or more asked, in two rounds; the
second is printed, in µs per query.
"""
import os
import random
import sqlite3
import sys
import time

FIRST = "Ann Bruno Chen Dara Emil Fatima Goran Hana Ivan Jun Kofi Lena Mateo Nia Omar Priya".split()
LAST = "Alvarez Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau Novak Okafor Petrov".split()
G = 5


def grams(text):
    """Every five characters of the lower-cased text, hex-encoded, as the view user_mailbox_grams writes them."""
    t = text.lower()
    return " ".join(t[i:i + G].encode().hex() for i in range(len(t) - G + 1))


def cover(term):
    """Grams that cover the term end to end without overlapping, the last ending with it (SearchGrams.query)."""
    t = term.lower()
    at = list(range(0, len(t) - G + 1, G))
    if at[-1] != len(t) - G:
        at.append(len(t) - G)
    return " ".join('"%s"' % t[i:i + G].encode().hex() for i in at)


def build(path, n):
    if os.path.exists(path):
        return
    db = sqlite3.connect(path + ".part")
    db.execute("CREATE TABLE m (seq INTEGER PRIMARY KEY, email, fn, ln)")
    db.execute("CREATE VIRTUAL TABLE tri USING fts5 (email, fn, ln, content = 'm', content_rowid = 'seq',"
               " tokenize = 'trigram case_sensitive 0')")
    db.execute("CREATE VIRTUAL TABLE pos USING fts5 (email, fn, ln, content = '', tokenize = 'ascii')")
    db.execute("CREATE VIRTUAL TABLE nopos USING fts5 (email, fn, ln, content = '', tokenize = 'ascii',"
               " detail = 'none', columnsize = 0)")
    for start in range(0, n, 10000):
        rows = [(i + 1, "u%d@bench.test" % i, FIRST[i % 16], LAST[(i // 16) % 16]) for i in range(start, min(n, start + 10000))]
        db.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO tri (rowid, email, fn, ln) VALUES (?, ?, ?, ?)", rows)
        folded = [(r[0], grams(r[1]), grams(r[2]), grams(r[3])) for r in rows]
        for table in ("pos", "nopos"):
            db.executemany("INSERT INTO %s (rowid, email, fn, ln) VALUES (?, ?, ?, ?)" % table, folded)
        db.commit()
    for table in ("tri", "pos", "nopos"):
        db.execute("INSERT INTO %s (%s) VALUES ('optimize')" % (table, table))
    db.commit()
    db.close()
    os.rename(path + ".part", path)


WAYS = (("trigrams, the phrase", "tri", lambda t: '"%s"' % t),
        ("grams with positions, the phrase", "pos", lambda t: '"%s"' % grams(t)),
        ("grams without positions, the cover", "nopos", cover))


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    sizes = (10000, 1000000)
    for n in sizes:
        build(os.path.join(folder, "probe-%d.db" % n), n)
    took = {}
    for _ in range(2):
        for n in sizes:
            db = sqlite3.connect("file:%s?mode=ro" % os.path.join(folder, "probe-%d.db" % n), uri=True)
            rng = random.Random(1)
            terms = [t for t in ("u%d" % rng.randrange(n) for _ in range(2000)) if len(t) >= G]
            for name, table, match in WAYS:
                start = time.perf_counter()
                for t in terms:
                    like = "%" + t + "%"
                    found = db.execute("SELECT m.* FROM %s s CROSS JOIN m ON m.seq = s.rowid WHERE (LOWER(m.email) LIKE ?"
                                       " OR LOWER(m.fn) LIKE ? OR LOWER(m.ln) LIKE ?) AND s.%s MATCH ? ORDER BY s.rowid"
                                       " LIMIT 25" % (table, table), (like, like, like, match(t))).fetchall()
                    assert found, t
                took[(name, n)] = (time.perf_counter() - start) / len(terms) * 1e6
            db.close()
    print("| index asked | %s |" % " | ".join("%d rows" % n for n in sizes))
    print("|---|---|---|")
    for name, _, _ in WAYS:
        print("| %s | %s |" % (name, " | ".join("%.0f µs" % took[(name, n)] for n in sizes)))


if __name__ == "__main__":
    main()
