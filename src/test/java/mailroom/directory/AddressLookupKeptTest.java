package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.address.AddressLookup.Status;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an address query keeps — which domains are a tenant's, and each address's answer — follows every change
 * that can alter an answer on the very next query: a domain added to a tenant, removed from it and given to
 * another; mailboxes, public mailboxes, groups and their aliases created, paused, recycled and deleted.
 */
class AddressLookupKeptTest {
    @AutoClose
    private DirectoryStore store;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDomainAddedRemovedOrMovedIsSeenByTheNextQuery(Backend backend) {
        store = TestServers.openStore(backend);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        AddressLookup lookup = directory.addressLookup();
        List<String> asked = List.of("nobody@new.test", "nobody@acme.test");
        List<List<Status>> seen = new ArrayList<>();
        Runnable look = () -> {
            // Twice each: the second answer comes from what the first kept, where the store lets it be kept.
            for (int i = 0; i < 2; i++) {
                seen.add(lookup.query(as("acme"), asked).stream().map(AddressLookup.Answer::status).toList());
                seen.add(lookup.query(as("globex"), asked).stream().map(AddressLookup.Answer::status).toList());
            }
        };
        look.run();
        directory.tenantLifecycle().addDomain(as("acme"), "acme", "new.test");
        look.run();
        directory.tenantLifecycle().removeDomain(as("acme"), "acme", "new.test");
        look.run();
        directory.tenantLifecycle().addDomain(as("globex"), "globex", "new.test");
        look.run();

        List<Status> acmeOnly = List.of(Status.NO_SUCH_DOMAIN, Status.NO_SUCH_ADDRESS);
        List<Status> neither = List.of(Status.NO_SUCH_DOMAIN, Status.NO_SUCH_DOMAIN);
        List<Status> acmeBoth = List.of(Status.NO_SUCH_ADDRESS, Status.NO_SUCH_ADDRESS);
        List<Status> globexNew = List.of(Status.NO_SUCH_ADDRESS, Status.NO_SUCH_DOMAIN);
        assertThat(seen).containsExactly(
                acmeOnly, neither, acmeOnly, neither,
                acmeBoth, neither, acmeBoth, neither,
                acmeOnly, neither, acmeOnly, neither,
                acmeOnly, globexNew, acmeOnly, globexNew);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void keptAnswersFollowEveryChangeOfWhatOwnsAnAddressOnTheNextQuery(Backend backend) {
        store = TestServers.openStore(backend);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        AddressLookup lookup = directory.addressLookup();
        Caller acme = as("acme");
        List<String> asked = List.of("own@acme.test", "Own@ACME.test", "nick@acme.test", "desk@acme.test",
                "frontdesk@acme.test", "team@acme.test", "crew@acme.test", "own@new.test", "alice@acme.test",
                "not an address", "nobody@globex.test");
        List<Runnable> changes = List.of(
                () -> directory.mailboxes().create(acme, "acme.test", new Mailboxes.NewMailbox("own", "Own", "Box")),
                () -> directory.mailboxes().addAlias(acme, "own@acme.test", "nick@acme.test", false),
                () -> directory.mailboxes().setActive(acme, "own@acme.test", false),
                () -> directory.mailboxes().setActive(acme, "own@acme.test", true),
                () -> directory.mailboxes().removeAlias(acme, "own@acme.test", "nick@acme.test"),
                () -> directory.mailboxes().moveToRecycleBin(acme, "own@acme.test"),
                () -> directory.publicMailboxes().create(acme, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), false),
                () -> directory.publicMailboxes().aliases().add(acme, "desk@acme.test", "frontdesk@acme.test"),
                () -> directory.publicMailboxes().moveToRecycleBin(acme, "desk@acme.test", null),
                () -> directory.mailGroups().create(acme, new MailGroups.Fields("team@acme.test", null, null, null)),
                () -> directory.mailGroups().aliases().add(acme, "team@acme.test", "crew@acme.test"),
                () -> directory.mailGroups().delete(acme, "team@acme.test"),
                () -> directory.tenantLifecycle().addDomain(acme, "acme", "new.test"),
                () -> directory.users().delete(acme, "u100"));
        for (int i = 0; i < changes.size(); i++) {
            lookup.query(acme, asked);
            lookup.query(acme, asked);
            changes.get(i).run();
            // A lookup of its own has kept nothing: it reads every answer from the store.
            assertThat(lookup.query(acme, asked)).as("after change %d", i).isEqualTo(new AddressLookup(store).query(acme, asked));
        }
        // The answers did change along the way (the changes reached what was asked).
        assertThat(lookup.query(acme, asked).stream().map(AddressLookup.Answer::status).toList()).containsExactly(
                Status.RECYCLED, Status.RECYCLED, Status.NO_SUCH_ADDRESS, Status.RECYCLED, Status.RECYCLED,
                Status.NO_SUCH_ADDRESS, Status.NO_SUCH_ADDRESS, Status.NO_SUCH_ADDRESS, Status.RECYCLED,
                Status.INVALID, Status.NO_SUCH_DOMAIN);
    }
}
