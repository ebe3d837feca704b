package mailroom.store;

/** The two databases Mailroom runs on; the few places their SQL differs ask this. */
public enum Dialect {
    SQLITE, POSTGRESQL;

    public String migrationsLocation() {
        return this == SQLITE ? "classpath:db/sqlite" : "classpath:db/postgresql";
    }
}
