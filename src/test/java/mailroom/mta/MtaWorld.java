package mailroom.mta;

import static mailroom.testing.TestCallers.as;

import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.Directory;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;

/** Provisions the groups, aliases and public mailboxes the MTA tests ask about, through the directory's own operations. */
final class MtaWorld {
    static final Caller ACME = as("acme");

    private final Directory directory;

    MtaWorld(Directory directory) {
        this.directory = directory;
    }

    MailGroup group(String address, WhoCanSend who, MemberSpec... members) {
        MailGroup group = directory.mailGroups().create(ACME, new MailGroups.Fields(address, null, null, who));
        if (members.length > 0) directory.mailGroups().addMembers(ACME, group.id(), MemberList.MEMBERS, List.of(members));
        return group;
    }

    void permissionMembers(MailGroup group, MemberSpec... members) {
        directory.mailGroups().addMembers(ACME, group.id(), MemberList.PERMISSION_MEMBERS, List.of(members));
    }

    void userAlias(String primary, String alias) {
        directory.mailboxes().aliases().add(ACME, primary, alias);
    }

    /** desk@acme.test, a public mailbox whose members are the given users. */
    void desk(String... userIds) {
        String desk = directory.publicMailboxes().create(ACME, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), false).id();
        directory.publicMailboxes().addMembers(ACME, desk, java.util.Arrays.stream(userIds).map(u -> new UserRef(UserIdKind.USER_ID, u)).toList());
    }

    static MemberSpec user(String userId) {
        return new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, userId), null, null);
    }

    static MemberSpec external(String address) {
        return new MemberSpec(MemberType.EXTERNAL_USER, null, null, address);
    }
}
