package mailroom.testing;

import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.Directory;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.Alias;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;

/**
 * A tenant's mail groups (with their fields, members and aliases), its user mailboxes with their aliases and
 * its users (each read through the directory's own operations, only their user_ids listed by the export), as
 * sorted lines without internal ids: two tenants with the same directory have the same picture, however their
 * objects were made.
 */
public final class DirectoryPicture {
    private DirectoryPicture() {}

    public static List<String> of(Directory directory, String tenantKey) {
        Caller caller = TestCallers.as(tenantKey);
        List<String> out = new ArrayList<>();
        PageRequest page = new PageRequest(null, 500);
        while (page != null) {
            Page<MailGroup> groups = directory.mailGroups().list(caller, null, page);
            for (MailGroup g : groups.items()) {
                out.add("group " + g.email() + " name=" + g.name() + " description=" + g.description() + " who=" + g.whoCanSendMail()
                        + " members=" + g.directMembersCount());
                for (Alias a : directory.mailGroups().aliases().list(caller, g.id())) out.add("alias " + a.emailAlias() + " of " + g.email());
                PageRequest mp = new PageRequest(null, 500);
                while (mp != null) {
                    Page<Member> members = directory.mailGroups().members(caller, g.id(), MemberList.MEMBERS, mp);
                    for (Member m : members.items()) {
                        out.add("member of " + g.email() + " " + m.type() + " " + (m.user() != null ? m.user().userId()
                                : m.department() != null ? m.department().departmentId() : m.email()));
                    }
                    mp = members.nextCursor() == null ? null : new PageRequest(members.nextCursor(), 500);
                }
            }
            page = groups.nextCursor() == null ? null : new PageRequest(groups.nextCursor(), 500);
        }
        int from = 1;
        while (true) {
            var slice = directory.mailboxes().list(caller, null, null, null, from, 500);
            for (Mailboxes.View v : slice.items()) {
                out.add("mailbox " + v.mailbox().email() + " " + v.mailbox().status());
                for (AddressEntry a : v.aliases()) out.add("alias " + a.address() + " of " + v.mailbox().email());
            }
            if (slice.items().size() < 500) break;
            from++;
        }
        for (var row : directory.exports().users(caller)) {
            var user = directory.users().get(caller, row.userId());
            out.add("user " + user.user().userId() + " name=" + user.user().name() + " open_id=" + user.user().openId()
                    + " union_id=" + user.user().unionId() + " departments=" + user.departments() + " mailbox="
                    + (user.mailbox() == null ? null : user.mailbox().email() + " " + user.mailbox().status()));
        }
        out.sort(null);
        return out;
    }
}
