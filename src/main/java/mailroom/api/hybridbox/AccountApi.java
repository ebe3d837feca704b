package mailroom.api.hybridbox;

import static io.helidon.http.Method.GET;

import mailroom.api.hybridbox.HybridboxRouter.Reply;
import mailroom.directory.tenant.Accounts;
import mailroom.directory.tenant.Accounts.DomainView;
import mailroom.directory.tenant.Accounts.Slice;

/** Hybridbox account and domain routes (read-only: domains are provisioned by the operator). */
final class AccountApi {
    private final Accounts accounts;

    AccountApi(Accounts accounts) {
        this.accounts = accounts;
    }

    void register(HybridboxRouter r) {
        r.route(GET, "", "account.view", c -> Reply.ok(HybridboxViews.account(accounts.account(c.caller()))));
        r.route(GET, "/domains", "domain.view", c -> {
            Validation v = new Validation();
            int page = c.queryInt(v, "page", 1, 1, Integer.MAX_VALUE);
            int pageSize = c.queryInt(v, "page_size", 25, 1, MailboxApi.MAX_PAGE_SIZE);
            v.throwIfAny();
            Slice<DomainView> slice = accounts.domains(c.caller(), page, pageSize);
            return Reply.ok(new HybridboxViews.Page<>(slice.items().stream().map(HybridboxViews::domain).toList(), page,
                    pageSize, slice.total()));
        });
        r.route(GET, "/domains/{domain}", "domain.view",
                c -> Reply.ok(HybridboxViews.domain(accounts.domain(c.caller(), c.path("domain")))));
    }
}
