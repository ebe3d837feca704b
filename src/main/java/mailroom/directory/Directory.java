package mailroom.directory;

import java.time.Clock;
import mailroom.directory.access.Apps;
import mailroom.directory.access.OperatorTokens;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.bulk.Exports;
import mailroom.directory.bulk.Imports;
import mailroom.directory.delivery.Delivery;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.Accounts;
import mailroom.directory.tenant.Departments;
import mailroom.directory.tenant.TenantLifecycle;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.Users;
import mailroom.directory.webhook.WebhookQueue;
import mailroom.directory.webhook.WebhookTargets;
import mailroom.directory.webhook.Webhooks;

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
    private final Apps apps;
    private final Departments departments;
    private final Users users;
    private final Imports imports;
    private final Exports exports;
    private final Webhooks webhooks;
    private final WebhookQueue webhookQueue;

    public Directory(DirectoryStore store, Clock clock) {
        this(store, clock, WebhookTargets.ANY);
    }

    /** @param webhookTargets the hosts webhooks may deliver to */
    public Directory(DirectoryStore store, Clock clock, WebhookTargets webhookTargets) {
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
        this.apps = new Apps(store, clock);
        this.departments = new Departments(store, clock);
        this.users = new Users(store, clock);
        this.imports = new Imports(store, clock);
        this.exports = new Exports(store);
        this.webhooks = new Webhooks(store, clock, webhookTargets);
        this.webhookQueue = new WebhookQueue(store, journal, clock);
    }

    /** A tenant's webhooks and their deliveries, as operators manage them. */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** What the nodes delivering webhooks read and record. */
    public WebhookQueue webhookQueue() {
        return webhookQueue;
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

    /** A tenant's API apps: created, given new scopes or a new secret, deleted. */
    public Apps apps() {
        return apps;
    }

    /** A tenant's department tree. */
    public Departments departments() {
        return departments;
    }

    /** Users and the user mailboxes their addresses give them. */
    public Users users() {
        return users;
    }

    /** Bulk import of a tenant's users, mail groups, members and aliases, in batches, or rehearsed. */
    public Imports imports() {
        return imports;
    }

    /** A tenant's directory as the rows an import takes. */
    public Exports exports() {
        return exports;
    }

    /** The change journal every write appends to. */
    public Journal journal() {
        return journal;
    }
}
