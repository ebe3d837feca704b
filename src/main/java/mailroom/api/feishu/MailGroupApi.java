package mailroom.api.feishu;

import static io.helidon.http.Method.*;
import static mailroom.api.feishu.FeishuScopes.MAILGROUP;
import static mailroom.api.feishu.FeishuScopes.MAILGROUP_READONLY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mailroom.api.feishu.FeishuBodies.*;
import mailroom.directory.DirectoryException;
import mailroom.directory.Page;
import mailroom.directory.Reason;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;

/** Feishu endpoints #1–#24: mail groups, their members, managers, aliases and permission members. */
final class MailGroupApi {
    private static final String BASE = "/open-apis/mail/v1/mailgroups";
    private static final int MAX_BATCH = 200;

    private final MailGroups groups;

    MailGroupApi(MailGroups groups) {
        this.groups = groups;
    }

    void register(FeishuRouter r) {
        // #1–#6 the group
        r.route(POST, BASE).scopes(MAILGROUP).rate("100/s").handle(c -> FeishuViews.mailGroup(
                groups.create(c.caller(), fields(c.body(MailGroupBody.class), true))));
        r.route(GET, BASE + "/:mailgroup_id").scopes(MAILGROUP, MAILGROUP_READONLY).handle(c ->
                FeishuViews.mailGroup(groups.get(c.caller(), c.path("mailgroup_id"))));
        r.route(GET, BASE).scopes(MAILGROUP, MAILGROUP_READONLY).handle(c -> {
            String manager = c.query("manager_user_id");
            UserIdKind kind = c.userIdKind();
            Page<MailGroup> page = groups.list(c.caller(),
                    manager == null || manager.isEmpty() ? null : new UserRef(kind, manager), c.page(20, 200));
            return FeishuViews.page(page, FeishuViews::mailGroup);
        });
        r.route(PATCH, BASE + "/:mailgroup_id").scopes(MAILGROUP).rate("100/s").handle(c -> FeishuViews.mailGroup(
                groups.change(c.caller(), c.path("mailgroup_id"), fields(c.body(MailGroupBody.class), false), false)));
        r.route(PUT, BASE + "/:mailgroup_id").scopes(MAILGROUP).rate("100/s").handle(c -> FeishuViews.mailGroup(
                groups.change(c.caller(), c.path("mailgroup_id"), fields(c.body(MailGroupBody.class), false), true)));
        r.route(DELETE, BASE + "/:mailgroup_id").scopes(MAILGROUP).handle(c -> {
            groups.delete(c.caller(), c.path("mailgroup_id"));
            return null;
        });

        // #7–#12 members
        registerMemberList(r, MemberList.MEMBERS, BASE + "/:mailgroup_id/members", "member_id");

        // #13–#15 managers (errors documented with HTTP 200)
        String managers = BASE + "/:mailgroup_id/managers";
        FeishuError groupNotFound200 = FeishuErrors.of(Reason.MAIL_GROUP_NOT_FOUND, Map.of()).withStatus(200);
        r.route(POST, managers + "/batch_create").scopes(MAILGROUP).rate("50/s")
                .override(Reason.MAIL_GROUP_NOT_FOUND, groupNotFound200).handle(c -> {
                    groups.addManagers(c.caller(), c.path("mailgroup_id"), managerRefs(c));
                    return null;
                });
        r.route(POST, managers + "/batch_delete").scopes(MAILGROUP).rate("50/s")
                .override(Reason.MAIL_GROUP_NOT_FOUND, groupNotFound200).handle(c -> {
                    groups.removeManagers(c.caller(), c.path("mailgroup_id"), managerRefs(c));
                    return null;
                });
        r.route(GET, managers).scopes(MAILGROUP, MAILGROUP_READONLY).rate("50/s")
                .override(Reason.MAIL_GROUP_NOT_FOUND, groupNotFound200).handle(c -> {
                    UserIdKind kind = c.userIdKind();
                    return FeishuViews.page(groups.managers(c.caller(), c.path("mailgroup_id"), c.page(20, 200)),
                            u -> Map.of("user_id", u.idOfKind(kind)));
                });

        // #16–#18 aliases
        String aliases = BASE + "/:mailgroup_id/aliases";
        r.route(POST, aliases).scopes(MAILGROUP).rate("1000/min & 50/s")
                .override(Reason.DOMAIN_NOT_FOUND, FeishuErrors.of(Reason.DOMAIN_NOT_FOUND, Map.of()).withStatus(404))
                .handle(c -> Map.of("mailgroup_alias", FeishuViews.alias(
                        groups.aliases().add(c.caller(), c.path("mailgroup_id"), c.body(AliasBody.class).emailAlias()))));
        r.route(GET, aliases).scopes(MAILGROUP, MAILGROUP_READONLY).rate("1000/min & 50/s").handle(c ->
                FeishuViews.items(groups.aliases().list(c.caller(), c.path("mailgroup_id")).stream().map(FeishuViews::alias).toList()));
        r.route(DELETE, aliases + "/:alias_id").scopes(MAILGROUP).rate("1000/min & 50/s").handle(c -> {
            groups.aliases().remove(c.caller(), c.path("mailgroup_id"), c.path("alias_id"));
            return null;
        });

        // #19–#24 permission members
        registerMemberList(r, MemberList.PERMISSION_MEMBERS, BASE + "/:mailgroup_id/permission_members",
                "permission_member_id");
    }

    /** The six routes of one member list; members and permission members differ only in names. */
    private void registerMemberList(FeishuRouter r, MemberList list, String path, String idField) {
        String idListField = idField + "_list";
        r.route(POST, path + "/batch_create").scopes(MAILGROUP).rate("20/s").handle(c -> FeishuViews.items(
                addMembers(c, list, batch(c.body(MemberItems.class).items(), "items").stream()
                        .map(b -> memberSpec(c, b)).toList())));
        r.route(DELETE, path + "/batch_delete").scopes(MAILGROUP).rate("20/s").handle(c -> {
            groups.removeMembers(c.caller(), c.path("mailgroup_id"), list,
                    batch(c.body(MemberIdList.class).ids(list), idListField));
            return null;
        });
        r.route(POST, path).scopes(MAILGROUP).rate("50/s").handle(c ->
                addMembers(c, list, List.of(memberSpec(c, c.body(MemberBody.class)))).get(0));
        r.route(GET, path + "/:" + idField).scopes(MAILGROUP, MAILGROUP_READONLY).handle(c -> getMember(c, list, idField));
        r.route(GET, path).scopes(MAILGROUP, MAILGROUP_READONLY).handle(c -> {
            UserIdKind uk = c.userIdKind();
            DepartmentIdKind dk = c.departmentIdKind();
            return FeishuViews.page(groups.members(c.caller(), c.path("mailgroup_id"), list, c.page(20, 200)),
                    m -> FeishuViews.member(m, idField, uk, dk));
        });
        r.route(DELETE, path + "/:" + idField).scopes(MAILGROUP).rate("50/s").handle(c -> {
            groups.removeMembers(c.caller(), c.path("mailgroup_id"), list, List.of(c.path(idField)));
            return null;
        });
    }

    private static MailGroups.Fields fields(MailGroupBody body, boolean creating) {
        WhoCanSend who = null;
        if (body.whoCanSendMail() != null) {
            try {
                who = WhoCanSend.valueOf(body.whoCanSendMail());
            } catch (IllegalArgumentException e) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT,
                        "who_can_send_mail must be one of ANYONE, ALL_INTERNAL_USERS, ALL_GROUP_MEMBERS, CUSTOM_MEMBERS",
                        "who_can_send_mail");
            }
        }
        if (creating && body.email() == null) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "email is required", "email");
        }
        return new MailGroups.Fields(body.email(), body.name(), body.description(), who);
    }

    private List<Object> addMembers(FeishuCall c, MemberList list, List<MemberSpec> specs) {
        UserIdKind uk = c.userIdKind();
        DepartmentIdKind dk = c.departmentIdKind();
        String idField = list == MemberList.MEMBERS ? "member_id" : "permission_member_id";
        List<Object> out = new ArrayList<>();
        for (Member m : groups.addMembers(c.caller(), c.path("mailgroup_id"), list, specs)) {
            out.add(FeishuViews.member(m, idField, uk, dk));
        }
        return out;
    }

    /** #8 / #20: the id kinds are checked before the lookup, like every other query parameter. */
    private Object getMember(FeishuCall c, MemberList list, String idField) {
        UserIdKind uk = c.userIdKind();
        DepartmentIdKind dk = c.departmentIdKind();
        Member member = groups.member(c.caller(), c.path("mailgroup_id"), list, c.path(idField));
        return FeishuViews.member(member, idField, uk, dk);
    }

    private static MemberSpec memberSpec(FeishuCall c, MemberBody b) {
        return spec(c, b.type(), b.userId(), b.departmentId(), b.email());
    }


    private static MemberSpec spec(FeishuCall c, String type, String userId, String departmentId, String email) {
        MemberType memberType = null;
        if (type != null) {
            try {
                memberType = MemberType.valueOf(type);
            } catch (IllegalArgumentException e) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "type " + type + " is not a member type", "type");
            }
        }
        return new MemberSpec(memberType, userId == null ? null : new UserRef(c.userIdKind(), userId),
                departmentId == null ? null : new DepartmentRef(c.departmentIdKind(), departmentId), email);
    }

    private static List<UserRef> managerRefs(FeishuCall c) {
        List<ManagerBody> list = c.body(ManagerList.class).mailgroupManagerList();
        if (list == null) list = List.of();
        if (list.size() > MAX_BATCH) {
            throw FeishuException.fieldViolation("mailgroup_manager_list", "the max len is " + MAX_BATCH);
        }
        UserIdKind kind = c.userIdKind();
        List<UserRef> refs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i) == null ? null : list.get(i).userId();
            if (id == null || id.isEmpty() || id.length() > 1024) {
                throw FeishuException.fieldViolation("mailgroup_manager_list[" + i + "].user_id",
                        "user_id length must be between 1 and 1024");
            }
            refs.add(new UserRef(kind, id));
        }
        return refs;
    }

    /** Batch bodies must hold 1–200 entries. */
    static <T> List<T> batch(List<T> list, String field) {
        if (list == null || list.isEmpty()) throw FeishuException.fieldViolation(field, "the min len is 1");
        if (list.size() > MAX_BATCH) throw FeishuException.fieldViolation(field, "the max len is " + MAX_BATCH);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) throw FeishuException.fieldViolation(field + "[" + i + "]", "must not be null");
        }
        return list;
    }
}
