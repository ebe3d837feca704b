package mailroom.api.feishu;

import static io.helidon.http.Method.*;
import static mailroom.api.feishu.FeishuScopes.PUBLIC_MAILBOX;
import static mailroom.api.feishu.FeishuScopes.PUBLIC_MAILBOX_GEO;
import static mailroom.api.feishu.FeishuScopes.PUBLIC_MAILBOX_READONLY;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;

/** Feishu endpoints #25–#41: public mailboxes, their recycle bin, members (always USER) and aliases. */
final class PublicMailboxApi {
    private static final String BASE = "/open-apis/mail/v1/public_mailboxes";
    static final String RELEASED = "release mail address success";
    /** #31 words 1230001 differently from the release endpoints. */
    static final FeishuError RECYCLE_PARAM = new FeishuError(1230001, 400, "Parameter Error");
    private static final FeishuError CREATE_PARAM = FeishuErrors.PARAM_ERROR.withMsg("email or name is invalid");

    record MailboxBody(String email, String name, String geo) {}

    record RecycleBody(String toMailAddress) {}

    record MemberBody(String memberId, String userId, String type) {}

    record MemberItems(List<MemberBody> items) {}

    record MemberIdList(List<String> memberIdList) {}

    record AliasBody(String emailAlias) {}

    private final PublicMailboxes boxes;

    PublicMailboxApi(PublicMailboxes boxes) {
        this.boxes = boxes;
    }

    void register(FeishuRouter r) {
        // #25–#31 the mailbox and its recycle bin
        r.route(POST, BASE).scopes(PUBLIC_MAILBOX).rate("50/s")
                .override(Reason.INVALID_ADDRESS, CREATE_PARAM).override(Reason.INVALID_ARGUMENT, CREATE_PARAM)
                .handle(c -> {
                    MailboxBody b = c.body(MailboxBody.class);
                    return view(c, boxes.create(c.caller(), new PublicMailboxes.Fields(b.email(), b.name(), b.geo()),
                            c.hasScope(PUBLIC_MAILBOX_GEO)));
                });
        r.route(GET, BASE + "/:public_mailbox_id").scopes(PUBLIC_MAILBOX, PUBLIC_MAILBOX_READONLY).handle(c ->
                view(c, boxes.get(c.caller(), c.path("public_mailbox_id"))));
        r.route(GET, BASE).scopes(PUBLIC_MAILBOX, PUBLIC_MAILBOX_READONLY).handle(c ->
                FeishuViews.page(boxes.list(c.caller(), c.page(20, 200)), p -> view(c, p)));
        r.route(PATCH, BASE + "/:public_mailbox_id").scopes(PUBLIC_MAILBOX).handle(c -> change(c, false));
        r.route(PUT, BASE + "/:public_mailbox_id").scopes(PUBLIC_MAILBOX).handle(c -> change(c, true));
        r.route(DELETE, BASE + "/:public_mailbox_id/remove_to_recycle_bin").scopes(PUBLIC_MAILBOX).rate("20/min")
                .override(Reason.PUBLIC_MAILBOX_NOT_FOUND, RECYCLE_PARAM)
                .override(Reason.INVALID_ARGUMENT, RECYCLE_PARAM).override(Reason.INVALID_ADDRESS, RECYCLE_PARAM)
                .handle(c -> {
                    boxes.moveToRecycleBin(c.caller(), c.path("public_mailbox_id"),
                            c.body(RecycleBody.class).toMailAddress());
                    return null;
                });
        r.route(DELETE, BASE + "/:public_mailbox_id").scopes(PUBLIC_MAILBOX).rate("20/min")
                .override(Reason.PUBLIC_MAILBOX_NOT_FOUND, FeishuErrors.RELEASE_PARAM).handle(c -> {
                    boxes.release(c.caller(), c.path("public_mailbox_id"));
                    return new FeishuRouter.Reply(null, RELEASED);
                });

        // #32–#38 members
        String members = BASE + "/:public_mailbox_id/members";
        FeishuError userLimit = FeishuErrors.of(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED, Map.of())
                .withMsg("the user have exceeded the limit on the number of bindable public mailboxes");
        r.route(POST, members + "/batch_create").scopes(PUBLIC_MAILBOX).rate("20/s").handle(c -> {
            List<MemberBody> items = MailGroupApi.batch(c.body(MemberItems.class).items(), "items");
            List<UserRef> users = new java.util.ArrayList<>();
            for (int i = 0; i < items.size(); i++) users.add(userRef(c, items.get(i), "items[" + i + "]."));
            return FeishuViews.items(boxes.addMembers(c.caller(), c.path("public_mailbox_id"), users).stream()
                    .map(m -> member(c, m)).toList());
        });
        r.route(DELETE, members + "/batch_delete").scopes(PUBLIC_MAILBOX).rate("20/s").handle(c -> {
            boxes.removeMembers(c.caller(), c.path("public_mailbox_id"),
                    MailGroupApi.batch(c.body(MemberIdList.class).memberIdList(), "member_id_list"));
            return null;
        });
        // The Java SDK sends no body here (see docs/compatibility.md); whatever arrives is ignored.
        r.route(POST, members + "/clear").scopes(PUBLIC_MAILBOX).handle(c -> {
            boxes.clearMembers(c.caller(), c.path("public_mailbox_id"));
            return null;
        });
        r.route(POST, members).scopes(PUBLIC_MAILBOX).rate("50/s")
                .override(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED, userLimit).handle(c -> {
                    UserRef user = userRef(c, c.body(MemberBody.class), "");
                    return member(c, boxes.addMembers(c.caller(), c.path("public_mailbox_id"), List.of(user)).get(0));
                });
        r.route(GET, members + "/:member_id").scopes(PUBLIC_MAILBOX, PUBLIC_MAILBOX_READONLY).handle(c -> {
            UserIdKind kind = c.userIdKind();
            return member(boxes.member(c.caller(), c.path("public_mailbox_id"), c.path("member_id")), kind);
        });
        r.route(GET, members).scopes(PUBLIC_MAILBOX, PUBLIC_MAILBOX_READONLY).handle(c -> {
            UserIdKind kind = c.userIdKind();
            return FeishuViews.page(boxes.members(c.caller(), c.path("public_mailbox_id"), c.page(20, 200)),
                    m -> member(m, kind));
        });
        r.route(DELETE, members + "/:member_id").scopes(PUBLIC_MAILBOX).rate("50/s").handle(c -> {
            boxes.removeMembers(c.caller(), c.path("public_mailbox_id"), List.of(c.path("member_id")));
            return null;
        });

        // #39–#41 aliases
        String aliases = BASE + "/:public_mailbox_id/aliases";
        r.route(POST, aliases).scopes(PUBLIC_MAILBOX).rate("1000/min & 50/s")
                .override(Reason.DOMAIN_NOT_FOUND, FeishuErrors.of(Reason.DOMAIN_NOT_FOUND, Map.of()).withStatus(404))
                .handle(c -> Map.of("public_mailbox_alias", FeishuViews.alias(boxes.aliases().add(c.caller(),
                        c.path("public_mailbox_id"), c.body(AliasBody.class).emailAlias()))));
        r.route(GET, aliases).scopes(PUBLIC_MAILBOX, PUBLIC_MAILBOX_READONLY).rate("1000/min & 50/s").handle(c ->
                FeishuViews.items(boxes.aliases().list(c.caller(), c.path("public_mailbox_id")).stream()
                        .map(FeishuViews::alias).toList()));
        r.route(DELETE, aliases + "/:alias_id").scopes(PUBLIC_MAILBOX).rate("1000/min & 50/s").handle(c -> {
            boxes.aliases().remove(c.caller(), c.path("public_mailbox_id"), c.path("alias_id"));
            return null;
        });
    }

    /** PATCH and PUT answer only id, address and name: never geo. */
    private Object change(FeishuCall c, boolean replaceAll) {
        MailboxBody b = c.body(MailboxBody.class);
        PublicMailbox p = boxes.change(c.caller(), c.path("public_mailbox_id"),
                new PublicMailboxes.Fields(b.email(), b.name(), null), replaceAll);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("public_mailbox_id", p.id());
        m.put("email", p.email());
        m.put("name", p.name());
        return m;
    }

    /** The public_mailbox shape; geo only for apps holding its field scope, and only when there is one. */
    private static Map<String, Object> view(FeishuCall c, PublicMailbox p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("public_mailbox_id", p.id());
        m.put("email", p.email());
        m.put("name", p.name());
        if (p.geo() != null && c.hasScope(PUBLIC_MAILBOX_GEO)) m.put("geo", p.geo());
        return m;
    }

    private static Map<String, Object> member(FeishuCall c, PublicMailboxMember m) {
        return member(m, c.userIdKind());
    }

    private static Map<String, Object> member(PublicMailboxMember member, UserIdKind kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("member_id", member.id());
        m.put("user_id", member.user().idOfKind(kind));
        m.put("type", "USER");
        return m;
    }

    /** A member body names a user; its type, when given, must be USER (the only kind Feishu has). */
    private static UserRef userRef(FeishuCall c, MemberBody body, String prefix) {
        if (body.type() != null && !body.type().equals("USER")) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    prefix + "type must be USER for a public mailbox member", prefix + "type");
        }
        if (body.userId() == null || body.userId().isBlank()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, prefix + "user_id is required", prefix + "user_id");
        }
        return new UserRef(c.userIdKind(), body.userId());
    }
}
