package mailroom.directory;

import java.time.Clock;
import mailroom.directory.access.OperatorTokens;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.delivery.Delivery;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.Accounts;
import mailroom.directory.tenant.TenantLifecycle;
import mailroom.directory.tenant.Tenants;

/** The directory core: one entry point per aggregate, all sharing one store and one clock. */
public final class Directory {
    private final Tenants tenants;
    private final MailGroups mailGroups;
    private final Accounts accounts;
    private final Mailboxes mailboxes;
    private final ServiceAccounts serviceAccounts;
    private final PublicMailboxes publicMailboxes;
    private final AddressLookup addressLookup;
    private final Journal journal;
    private final Delivery delivery;
    private final TenantLifecycle tenantLifecycle;
    private final OperatorTokens operatorTokens;

    public Directory(DirectoryStore store, Clock clock) {
        this.tenants = new Tenants(store, clock);
        this.mailGroups = new MailGroups(store, clock);
        this.accounts = new Accounts(store);
        this.mailboxes = new Mailboxes(store, clock);
        this.serviceAccounts = new ServiceAccounts(store, clock);
        this.publicMailboxes = new PublicMailboxes(store, clock);
        this.addressLookup = new AddressLookup(store);
        this.journal = new Journal(store);
        this.delivery = new Delivery(store);
        this.tenantLifecycle = new TenantLifecycle(store, clock);
        this.operatorTokens = new OperatorTokens(store, clock);
    }

    public Tenants tenants() {
        return tenants;
    }

    public MailGroups mailGroups() {
        return mailGroups;
    }

    /** Tenants seen as accounts: their workspace and domains. */
    public Accounts accounts() {
        return accounts;
    }

    /** User mailboxes and their aliases, whichever door made them. */
    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public ServiceAccounts serviceAccounts() {
        return serviceAccounts;
    }

    public PublicMailboxes publicMailboxes() {
        return publicMailboxes;
    }

    public AddressLookup addressLookup() {
        return addressLookup;
    }

    /** What a mail system asks: domains, mailboxes, aliases and expansions, senders, send permission. */
    public Delivery delivery() {
        return delivery;
    }

    /** Tenants created, changed and deleted while the server runs. */
    public TenantLifecycle tenantLifecycle() {
        return tenantLifecycle;
    }

    /** The operator door's credentials. */
    public OperatorTokens operatorTokens() {
        return operatorTokens;
    }

    /** The change journal every write appends to. */
    public Journal journal() {
        return journal;
    }
}
