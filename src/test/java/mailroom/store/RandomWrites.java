package mailroom.store;

import static mailroom.testing.TestCallers.as;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.seed.Seeder;
import mailroom.testing.TestServers;

/**
 * Random writes of every kind that adds or removes a counted row, on the contract seed's tenants acme (roomy
 * limits) and tiny (limits hit all the time, so refused and rolled-back writes are common). Addresses come from
 * one small pool, so claims collide, member entries name addresses that are later renamed or released, and
 * groups name each other. Targets are picked from the stored rows; a refusal is an ordinary outcome.
 */
final class RandomWrites {
    private static final String[] TENANTS = {"acme", "tiny"};
    private static final String[][] DOMAINS = {{"acme.test", "acme-mail.test"}, {"tiny.test"}};
    private static final String[][] USERS = {{"u100", "u200", "u300", "u400"}, {"t100", "t200"}};

    /** The writes below by number, each as often as it appears: adds and removals of members the most. */
    private static final int[] OPS = {0, 0, 1, 2, 3, 4, 4, 5, 5, 6, 7, 7, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 17,
        18, 19, 20, 21, 21, 21, 22, 22, 22, 23};

    private final DirectoryStore store;
    private final Directory directory;
    private final Random random;

    RandomWrites(DirectoryStore store, Directory directory, long seed) {
        this.store = store;
        this.directory = directory;
        this.random = new Random(seed);
    }

    /** Makes one random write and answers what it was, with its outcome. */
    String step() {
        int t = random.nextInt(TENANTS.length);
        String tenant = TENANTS[t];
        int op = OPS[random.nextInt(OPS.length)];
        String what = "op " + op + " on " + tenant;
        try {
            what = write(op, t, tenant);
            return what + ": done";
        } catch (DirectoryException refused) {
            return what + ": refused " + refused.reason();
        }
    }

    private String write(int op, int t, String tenant) {
        MailGroups groups = directory.mailGroups();
        Mailboxes mailboxes = directory.mailboxes();
        PublicMailboxes boxes = directory.publicMailboxes();
        String group = pick("SELECT id FROM mail_group WHERE tenant_key = ?", tenant);
        String mailbox = pick("SELECT id FROM user_mailbox WHERE tenant_key = ? AND status <> 'RECYCLED'", tenant);
        String box = pick("SELECT id FROM public_mailbox WHERE tenant_key = ? AND status <> 'RECYCLED'", tenant);
        MemberList list = random.nextInt(3) == 0 ? MemberList.PERMISSION_MEMBERS : MemberList.MEMBERS;
        switch (op) {
            case 0, 1 -> {
                String address = address(t, "g");
                groups.create(as(tenant), new MailGroups.Fields(address, null, null, null));
                return "create group " + address;
            }
            case 2 -> {
                groups.delete(as(tenant), orMissing(group));
                return "delete group " + group;
            }
            case 3 -> {
                String address = address(t, "g");
                groups.change(as(tenant), orMissing(group), new MailGroups.Fields(address, null, null, null), false);
                return "rename group " + group + " to " + address;
            }
            case 4, 5, 6 -> {
                List<MemberSpec> specs = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) specs.add(member(t, tenant, list));
                groups.addMembers(as(tenant), orMissing(group), list, specs);
                return "add " + list + " " + specs + " to group " + group;
            }
            case 7 -> {
                String table = list == MemberList.MEMBERS ? "mail_group_member" : "mail_group_permission_member";
                group = pick("SELECT DISTINCT m.mail_group_id FROM " + table + " m JOIN mail_group g ON g.id = m.mail_group_id"
                        + " WHERE g.tenant_key = ?", tenant);
                List<String> ids = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    ids.add(orMissing(pick("SELECT id FROM " + table + " WHERE mail_group_id = ?", String.valueOf(group))));
                }
                groups.removeMembers(as(tenant), orMissing(group), list, ids);
                return "remove " + list + " " + ids + " from group " + group;
            }
            case 8 -> {
                String alias = address(t, "a");
                groups.aliases().add(as(tenant), orMissing(group), alias);
                return "add alias " + alias + " to group " + group;
            }
            case 9 -> {
                String alias = orMissing(pick("SELECT address FROM address WHERE owner_id = ? AND kind = 'GROUP_ALIAS'",
                        String.valueOf(group)));
                groups.aliases().remove(as(tenant), orMissing(group), alias);
                return "remove alias " + alias + " of group " + group;
            }
            case 10 -> {
                List<Mailboxes.NewMailbox> items = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                    String local = random.nextInt(8) == 0 ? ".bad" : local("m");
                    items.add(new Mailboxes.NewMailbox(local, "Bulk", "Item"));
                }
                String domain = DOMAINS[t][random.nextInt(DOMAINS[t].length)];
                var result = mailboxes.bulkCreate(as(tenant), domain, items);
                return "bulk of " + items.size() + " at " + domain + ", created " + result.created().size();
            }
            case 11, 12 -> {
                mailboxes.delete(as(tenant), orMissing(mailbox));
                return "recycle mailbox " + mailbox;
            }
            case 13 -> {
                String recycled = pick("SELECT id FROM user_mailbox WHERE tenant_key = ? AND status = 'RECYCLED'", tenant);
                mailboxes.release(as(tenant), orMissing(recycled), null);
                return "release mailbox " + recycled;
            }
            case 14 -> {
                boolean active = random.nextBoolean();
                mailboxes.setActive(as(tenant), orMissing(mailbox), active);
                return (active ? "resume" : "pause") + " mailbox " + mailbox;
            }
            case 15 -> {
                String domain = mailbox == null ? DOMAINS[t][0]
                        : pick("SELECT d.name FROM user_mailbox b JOIN domain d ON d.id = b.domain_id WHERE b.id = ?", mailbox);
                String alias = local("a") + "@" + domain;
                boolean catchAll = random.nextInt(5) == 0;
                mailboxes.addAlias(as(tenant), orMissing(mailbox), alias, catchAll);
                return "add alias " + alias + (catchAll ? " (catch-all)" : "") + " to mailbox " + mailbox;
            }
            case 16 -> {
                String alias = orMissing(pick("SELECT address FROM address WHERE owner_id = ? AND kind = 'USER_ALIAS'",
                        String.valueOf(mailbox)));
                mailboxes.removeAlias(as(tenant), orMissing(mailbox), alias);
                return "remove alias " + alias + " of mailbox " + mailbox;
            }
            case 17 -> {
                String address = address(t, "p");
                boxes.create(as(tenant), new PublicMailboxes.Fields(address, "", null), true);
                return "create public mailbox " + address;
            }
            case 18 -> {
                String address = address(t, "p");
                boxes.change(as(tenant), orMissing(box), new PublicMailboxes.Fields(address, null, null), false);
                return "readdress public mailbox " + box + " to " + address;
            }
            case 19 -> {
                boxes.moveToRecycleBin(as(tenant), orMissing(box), null);
                return "recycle public mailbox " + box;
            }
            case 20 -> {
                String recycled = pick("SELECT id FROM public_mailbox WHERE tenant_key = ? AND status = 'RECYCLED'", tenant);
                boxes.release(as(tenant), orMissing(recycled));
                return "release public mailbox " + recycled;
            }
            case 21 -> {
                List<UserRef> users = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) users.add(user(t));
                boxes.addMembers(as(tenant), orMissing(box), users);
                return "bind " + users + " to public mailbox " + box;
            }
            case 22 -> {
                if (random.nextBoolean()) {
                    boxes.clearMembers(as(tenant), orMissing(box));
                    return "clear members of public mailbox " + box;
                }
                box = pick("SELECT DISTINCT m.public_mailbox_id FROM public_mailbox_member m JOIN public_mailbox b"
                        + " ON b.id = m.public_mailbox_id WHERE b.tenant_key = ? AND b.status <> 'RECYCLED'", tenant);
                String member = orMissing(pick("SELECT id FROM public_mailbox_member WHERE public_mailbox_id = ?",
                        String.valueOf(box)));
                boxes.removeMembers(as(tenant), orMissing(box), List.of(member));
                return "unbind " + member + " from public mailbox " + box;
            }
            default -> {
                if (random.nextInt(4) == 0) {
                    new Seeder(directory.tenants()).apply(TestServers.contractSeed());
                    return "apply the seed again";
                }
                if (random.nextBoolean()) {
                    String alias = address(t, "a");
                    boxes.aliases().add(as(tenant), orMissing(box), alias);
                    return "add alias " + alias + " to public mailbox " + box;
                }
                String alias = orMissing(pick("SELECT address FROM address WHERE owner_id = ? AND kind = 'PUBLIC_ALIAS'",
                        String.valueOf(box)));
                boxes.aliases().remove(as(tenant), orMissing(box), alias);
                return "remove alias " + alias + " of public mailbox " + box;
            }
        }
    }

    /** A member of any type; for permission members mostly of a type they may have, or the calls would all fail. */
    private MemberSpec member(int t, String tenant, MemberList list) {
        int[] permitted = {0, 1, 5, 6};
        int type = list == MemberList.PERMISSION_MEMBERS && random.nextInt(8) > 0 ? permitted[random.nextInt(4)] : random.nextInt(7);
        return switch (type) {
            case 0 -> new MemberSpec(MemberType.USER, user(t), null, null);
            case 1 -> new MemberSpec(MemberType.DEPARTMENT, null,
                    new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, "D" + (1 + random.nextInt(2)) + "00"), null);
            case 2 -> new MemberSpec(MemberType.COMPANY, null, null, null);
            case 3 -> new MemberSpec(MemberType.EXTERNAL_USER, null, null, local("e") + "@elsewhere.test");
            case 4 -> new MemberSpec(MemberType.OTHER_MEMBER, null, null, random.nextBoolean() ? address(t, "o")
                    : orMissing(pick("SELECT address FROM address WHERE tenant_key = ?", tenant)));
            case 5 -> new MemberSpec(MemberType.MAIL_GROUP, null, null,
                    orMissing(pick("SELECT email FROM mail_group WHERE tenant_key = ?", tenant)));
            default -> new MemberSpec(MemberType.PUBLIC_MAILBOX, null, null,
                    orMissing(pick("SELECT email FROM public_mailbox WHERE tenant_key = ?", tenant)));
        };
    }

    private UserRef user(int t) {
        return new UserRef(UserIdKind.USER_ID, USERS[t][random.nextInt(USERS[t].length)]);
    }

    /**
     * A local part: half of them from one small pool that every kind of owner competes for, the others from a
     * pool of their own kind, so that the namespace never fills up with one kind.
     */
    private String local(String kind) {
        return random.nextBoolean() ? "x" + random.nextInt(8) : kind + random.nextInt(12);
    }

    private String address(int t, String kind) {
        return local(kind) + "@" + DOMAINS[t][random.nextInt(DOMAINS[t].length)];
    }

    /** Sometimes a reference to nothing, so that not-found refusals roll back too. */
    private String orMissing(String found) {
        return found == null || random.nextInt(20) == 0 ? "missing@nowhere.test" : found;
    }

    /** A random one of the stored values the query selects, or null when there is none. */
    private String pick(String sql, String arg) {
        List<String> values = store.read(r -> ((SqlRecords) r).handle().createQuery(sql + " ORDER BY 1").bind(0, arg)
                .mapTo(String.class).list());
        return values.isEmpty() ? null : values.get(random.nextInt(values.size()));
    }
}
