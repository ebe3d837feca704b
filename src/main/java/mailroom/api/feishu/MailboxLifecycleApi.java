package mailroom.api.feishu;

import static io.helidon.http.Method.*;
import static mailroom.api.feishu.FeishuScopes.USER_MAILBOX;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Reason;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.mailbox.Mailboxes;

/** Feishu endpoints #45 (release a user mailbox from the recycle bin) and #46 (users/query). */
final class MailboxLifecycleApi {
    record QueryBody(List<String> emailList) {}

    private final Mailboxes mailboxes;
    private final AddressLookup lookup;

    MailboxLifecycleApi(Mailboxes mailboxes, AddressLookup lookup) {
        this.mailboxes = mailboxes;
        this.lookup = lookup;
    }

    void register(FeishuRouter r) {
        r.route(DELETE, "/open-apis/mail/v1/user_mailboxes/:user_mailbox_id").scopes(USER_MAILBOX).rate("20/min")
                .override(Reason.USER_MAILBOX_NOT_FOUND, FeishuErrors.RELEASE_PARAM)
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.RELEASE_PARAM)
                .override(Reason.INVALID_ADDRESS, FeishuErrors.RELEASE_PARAM).handle(c -> {
                    mailboxes.release(c.caller(), c.path("user_mailbox_id"), c.query("transfer_mailbox"));
                    return new FeishuRouter.Reply(null, PublicMailboxApi.RELEASED);
                });
        r.route(POST, "/open-apis/mail/v1/users/query").scopes(USER_MAILBOX).rate("20/s")
                .override(Reason.INVALID_ARGUMENT, FeishuErrors.RELEASE_PARAM).handle(c -> Map.of("user_list",
                        lookup.query(c.caller(), c.body(QueryBody.class).emailList()).stream()
                                .map(MailboxLifecycleApi::user).toList()));
    }

    /** status 1–6 and type 1–6 as Feishu numbers them; no type for addresses nobody owns. */
    private static Map<String, Object> user(AddressLookup.Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", a.email());
        m.put("status", switch (a.status()) {
            case INVALID -> 1;
            case NO_SUCH_DOMAIN -> 2;
            case NO_SUCH_ADDRESS -> 3;
            case ENABLED -> 4;
            case RECYCLED -> 5;
            case DISABLED -> 6;
        });
        if (a.kind() != null) m.put("type", type(a.kind()));
        return m;
    }

    private static int type(AddressKind kind) {
        return switch (kind) {
            case USER_MAILBOX -> 1;
            case USER_ALIAS -> 2;
            case PUBLIC_MAILBOX -> 3;
            case PUBLIC_ALIAS -> 4;
            case MAIL_GROUP -> 5;
            case GROUP_ALIAS -> 6;
        };
    }
}
