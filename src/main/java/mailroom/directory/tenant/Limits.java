package mailroom.directory.tenant;

/** How much a tenant may hold; a new tenant gets the defaults. */
public record Limits(int publicMailboxes, int mailGroups, int mailGroupMembers, int aliasesPerAddress,
                     int publicMailboxesPerUser, int userMailboxes) {
    public static final Limits DEFAULTS = new Limits(1000, 1000, 10000, 10, 50, 10_000);
}
