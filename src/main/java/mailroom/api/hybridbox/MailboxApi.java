package mailroom.api.hybridbox;

import static io.helidon.http.Method.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import mailroom.api.hybridbox.HybridboxRouter.Reply;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.Mailboxes.NewMailbox;
import mailroom.directory.tenant.Accounts.Slice;

/** Hybridbox mailbox routes: list, create, bulk create, get, update, pause/resume, delete, aliases. */
final class MailboxApi {
    static final int MAX_PAGE_SIZE = 100;

    private final Mailboxes mailboxes;

    MailboxApi(Mailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    void register(HybridboxRouter r) {
        String one = "/mailboxes/{mailbox}";
        r.route(GET, "/mailboxes", "mailbox.view", this::list);
        r.route(POST, "/mailboxes/bulk", "mailbox.create", this::bulk);
        r.route(POST, "/mailboxes", "mailbox.create", this::create);
        r.route(GET, one, "mailbox.view", c -> Reply.ok(HybridboxViews.mailbox(mailboxes.get(c.caller(), c.path("mailbox")))));
        r.route(PATCH, one, "mailbox.update", this::update);
        r.route(PATCH, one + "/active", "mailbox.update", c -> {
            Validation v = new Validation();
            Boolean active = v.requiredBool(c.bodyObject(), List.of("body"), "active");
            v.throwIfAny();
            return Reply.ok(HybridboxViews.mailbox(mailboxes.setActive(c.caller(), c.path("mailbox"), active)));
        });
        r.route(DELETE, one, "mailbox.delete", c -> {
            mailboxes.delete(c.caller(), c.path("mailbox"));
            return Reply.noContent();
        });
        r.route(POST, one + "/aliases", "mailbox.alias.manage", c -> {
            Validation v = new Validation();
            JsonNode body = c.bodyObject();
            String alias = v.requiredString(body, List.of("body"), "alias");
            Boolean catchAll = v.optionalBool(body, List.of("body"), "is_catch_all", false);
            v.throwIfAny();
            return Reply.created(HybridboxViews.alias(mailboxes.addAlias(c.caller(), c.path("mailbox"), alias, catchAll)));
        });
        r.route(GET, one + "/aliases", "mailbox.view", c -> Reply.ok(mailboxes.aliases(c.caller(), c.path("mailbox"))
                .stream().map(HybridboxViews::alias).toList()));
        r.route(DELETE, one + "/aliases/{alias}", "mailbox.alias.manage", c -> {
            mailboxes.removeAlias(c.caller(), c.path("mailbox"), c.path("alias"));
            return Reply.noContent();
        });
    }

    private Reply list(HybridboxCall c) {
        Validation v = new Validation();
        String domain = c.query("domain");
        String workspaceId = c.queryUuid(v, "workspace_id");
        String search = c.query("search");
        int page = c.queryInt(v, "page", 1, 1, Integer.MAX_VALUE);
        int pageSize = c.queryInt(v, "page_size", 25, 1, MAX_PAGE_SIZE);
        v.throwIfAny();
        Slice<Mailboxes.View> slice = mailboxes.list(c.caller(), domain, workspaceId, search, page, pageSize);
        return Reply.ok(new HybridboxViews.Page<>(slice.items().stream().map(HybridboxViews::mailbox).toList(), page,
                pageSize, slice.total()));
    }

    private Reply create(HybridboxCall c) {
        Validation v = new Validation();
        JsonNode body = c.bodyObject();
        String domain = v.requiredString(body, List.of("body"), "domain");
        NewMailbox item = item(v, body, List.of("body"));
        v.throwIfAny();
        return Reply.created(HybridboxViews.mailbox(mailboxes.create(c.caller(), domain, item)));
    }

    /** Whole-request problems (shape, item count, unknown domain) refuse everything; item problems are listed. */
    private Reply bulk(HybridboxCall c) {
        Validation v = new Validation();
        JsonNode body = c.bodyObject();
        List<Object> at = List.of("body");
        String domain = v.requiredString(body, at, "domain");
        JsonNode items = v.list(body, at, "items", 1, Mailboxes.MAX_BULK_ITEMS, true);
        List<NewMailbox> parsed = new ArrayList<>();
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                List<Object> itemLoc = Validation.loc(Validation.loc(at, "items"), i);
                JsonNode item = v.object(items.get(i), itemLoc);
                if (item != null) parsed.add(item(v, item, itemLoc));
            }
        }
        v.throwIfAny();
        return Reply.ok(HybridboxViews.bulk(mailboxes.bulkCreate(c.caller(), domain, parsed)));
    }

    private static NewMailbox item(Validation v, JsonNode object, List<Object> loc) {
        String first = v.requiredString(object, loc, "first_name");
        String last = v.requiredString(object, loc, "last_name");
        String local = v.requiredString(object, loc, "local_part");
        return new NewMailbox(local, first, last);
    }

    private Reply update(HybridboxCall c) {
        Validation v = new Validation();
        JsonNode body = c.bodyObject();
        String first = v.optionalString(body, List.of("body"), "first_name");
        String last = v.optionalString(body, List.of("body"), "last_name");
        v.throwIfAny();
        return Reply.ok(HybridboxViews.mailbox(mailboxes.update(c.caller(), c.path("mailbox"), first, last)));
    }
}
