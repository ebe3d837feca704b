package mailroom.directory;

import java.time.Clock;

/** The directory core: one entry point per aggregate, all sharing one store and one clock. */
public final class Directory {
    private final Tenants tenants;
    private final MailGroups mailGroups;
    private final UserMailboxes userMailboxes;

    public Directory(DirectoryStore store, Clock clock) {
        this.tenants = new Tenants(store, clock);
        this.mailGroups = new MailGroups(store, clock);
        this.userMailboxes = new UserMailboxes(store, clock);
    }

    public Tenants tenants() {
        return tenants;
    }

    public MailGroups mailGroups() {
        return mailGroups;
    }

    public UserMailboxes userMailboxes() {
        return userMailboxes;
    }
}
