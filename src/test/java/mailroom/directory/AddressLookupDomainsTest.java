package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.address.AddressLookup.Status;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which domains are a tenant's, which an address query keeps while no domain or tenant changed, follows a domain
 * added to a tenant, removed from it and given to another, on the very next query.
 */
class AddressLookupDomainsTest {
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
}
