package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mail group read by id or address, which the directory keeps while nothing it depends on changed, follows every
 * change of its fields, its members (the count and the external and company flags) and its existence on the very
 * next read, as a reader that has kept nothing sees it.
 */
class MailGroupsKeptTest {
    private static final Caller ACME = as("acme");

    @AutoClose
    private DirectoryStore store;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aKeptGroupFollowsEveryChangeOnTheNextRead(Backend backend) {
        store = TestServers.openStore(backend);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        MailGroups groups = directory.mailGroups();
        String id = groups.create(ACME, new MailGroups.Fields("team@acme.test", "Team", null, null)).id();
        List<String> memberIds = new ArrayList<>();
        List<Runnable> changes = List.of(
                () -> memberIds.add(groups.addMembers(ACME, id, MemberList.MEMBERS, List.of(user("u100"))).get(0).id()),
                () -> groups.addMembers(ACME, id, MemberList.MEMBERS, List.of(byAddress(MemberType.EXTERNAL_USER, "x@out.test"))),
                () -> memberIds.add(groups.addMembers(ACME, id, MemberList.MEMBERS, List.of(new MemberSpec(MemberType.COMPANY,
                        null, null, null))).get(0).id()),
                () -> groups.removeMembers(ACME, id, MemberList.MEMBERS, List.copyOf(memberIds)),
                () -> groups.addMembers(ACME, id, MemberList.MEMBERS, List.of(user("u200"))),
                () -> groups.change(ACME, "team@acme.test", new MailGroups.Fields(null, "Crew", "the crew",
                        WhoCanSend.ALL_GROUP_MEMBERS), false),
                () -> directory.users().delete(ACME, "u200"),
                () -> groups.change(ACME, id, new MailGroups.Fields("crew@acme.test", null, null, null), false),
                () -> groups.delete(ACME, id),
                () -> groups.create(ACME, new MailGroups.Fields("team@acme.test", "Team again", null, null)));
        List<String> asked = List.of(id, "team@acme.test", "TEAM@acme.test", "crew@acme.test");
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            reads(groups, asked);
            reads(groups, asked);
            changes.get(i).run();
            // Mail groups of their own have kept nothing: they read every group from the store.
            List<String> now = reads(groups, asked);
            assertThat(now).as("after change %d", i).isEqualTo(reads(new MailGroups(store, Clock.systemUTC()), asked));
            seen.add(now);
        }
        // The reads did change along the way: the count, the flags, the fields, the address and the group itself.
        assertThat(seen.stream().map(s -> s.get(0)).toList()).containsExactly(
                "team@acme.test Team  1 false false", "team@acme.test Team  2 true false",
                "team@acme.test Team  3 true true", "team@acme.test Team  1 true false",
                "team@acme.test Team  2 true false", "team@acme.test Crew the crew 2 true false",
                "team@acme.test Crew the crew 1 true false", "crew@acme.test Crew the crew 1 true false",
                "MAIL_GROUP_NOT_FOUND", "MAIL_GROUP_NOT_FOUND");
        assertThat(seen.get(seen.size() - 1).get(1)).startsWith("team@acme.test Team again  0 ");
    }

    /** Each group as a line of its address, fields, count and flags, or the reason it could not be read. */
    private static List<String> reads(MailGroups groups, List<String> refs) {
        List<String> out = new ArrayList<>();
        for (String ref : refs) {
            try {
                var g = groups.get(ACME, ref);
                out.add(g.email() + " " + g.name() + " " + g.description() + " " + g.directMembersCount() + " "
                        + g.includeExternalMember() + " " + g.includeAllCompanyMember());
            } catch (DirectoryException e) {
                out.add(e.reason().name());
            }
        }
        return out;
    }

    private static MemberSpec user(String userId) {
        return new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, userId), null, null);
    }

    private static MemberSpec byAddress(MemberType type, String address) {
        return new MemberSpec(type, null, null, address);
    }
}
