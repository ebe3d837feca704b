package mailroom.api.feishu;

import static io.helidon.http.Method.*;
import static mailroom.api.feishu.FeishuScopes.USER_MAILBOX;
import static mailroom.api.feishu.FeishuScopes.USER_MAILBOX_READONLY;

import java.util.Map;
import mailroom.api.feishu.FeishuBodies.AliasBody;
import mailroom.directory.Reason;
import mailroom.directory.mailbox.Mailboxes;

/** Feishu endpoints #42–#44: user mailbox aliases. */
final class UserMailboxApi {
    private static final String BASE = "/open-apis/mail/v1/user_mailboxes";

    private final Mailboxes mailboxes;

    UserMailboxApi(Mailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    void register(FeishuRouter r) {
        String aliases = BASE + "/:user_mailbox_id/aliases";
        r.route(POST, aliases).scopes(USER_MAILBOX).rate("1000/min & 50/s")
                .override(Reason.DOMAIN_NOT_FOUND, FeishuErrors.of(Reason.DOMAIN_NOT_FOUND, Map.of()).withStatus(404))
                .handle(c -> Map.of("user_mailbox_alias", FeishuViews.alias(mailboxes.aliases().add(c.caller(),
                        c.path("user_mailbox_id"), c.body(AliasBody.class).emailAlias()))));
        r.route(GET, aliases).scopes(USER_MAILBOX, USER_MAILBOX_READONLY).rate("1000/min & 50/s").handle(c -> {
            c.page(20, 20); // validated as documented, but every alias is returned at once
            return FeishuViews.items(mailboxes.aliases().list(c.caller(), c.path("user_mailbox_id")).stream()
                    .map(FeishuViews::alias).toList());
        });
        r.route(DELETE, aliases + "/:alias_id").scopes(USER_MAILBOX).rate("1000/min & 50/s").handle(c -> {
            mailboxes.aliases().remove(c.caller(), c.path("user_mailbox_id"), c.path("alias_id"));
            return null;
        });
    }
}
