package mailroom.api.hybridbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.tenant.Accounts;

/**
 * The Hybridbox wire shapes (spec §2, §4, §6, §7). Like pydantic, they always carry their nullable
 * fields (as null) instead of leaving them out, hence ALWAYS inclusion on each record.
 */
final class HybridboxViews {
    private HybridboxViews() {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Mailbox(String id, String localPart, String primaryEmail, String firstName, String lastName, String domainId,
                   String domainName, String status, Quota quota, String createdAt, String updatedAt, List<Alias> aliases,
                   String workspaceId, String workspaceName) {}

    record Quota(long allowed, long used) {}

    record Alias(String alias, @JsonProperty("is_catch_all") boolean isCatchAll) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page<T>(List<T> items, int page, int pageSize, long total) {}

    record Bulk(List<BulkCreated> created, List<BulkFailed> failed) {}

    record BulkCreated(int index, Mailbox mailbox) {}

    record BulkFailed(String code, int index, String message) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Domain(String id, String name, String status, boolean outboundRoutingReady, String workspaceId,
                  boolean autoRenew, String createdAt, String updatedAt, String dedicatedIpId,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<DomainMailbox> mailboxes) {}

    record DomainMailbox(String id, String email, String firstName, String lastName, boolean active) {}

    record Account(Client client, String createdAt, String id, String name, String status, String updatedAt) {}

    record Client(String id, String name) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ServiceAccountView(String accountId, String id, String name, List<String> permissions, String createdAt,
                              String updatedAt, String tokenPrefix, String tokenLast4, String tokenPublicId,
                              String createdByUserId, String expiresAt, String lastUsedAt, String revokedAt,
                              String revokedByUserId, @JsonInclude(JsonInclude.Include.NON_NULL) String token) {}

    /** RFC 3339 UTC with whole seconds and a Z, e.g. 2025-01-31T12:34:56Z. */
    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String time(Long epochMillis) {
        return epochMillis == null ? null : time(epochMillis.longValue());
    }

    static String status(MailboxStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static Mailbox mailbox(Mailboxes.View v) {
        UserMailbox m = v.mailbox();
        return new Mailbox(m.id(), m.localPart(), m.email(), m.firstName(), m.lastName(), m.domainId(), m.domainName(),
                status(m.status()), new Quota(m.quotaAllowed(), m.quotaUsed()), time(m.createdAt()), time(m.updatedAt()),
                v.aliases().stream().map(HybridboxViews::alias).toList(), v.workspace().id(), v.workspace().name());
    }

    static Alias alias(AddressEntry a) {
        return new Alias(a.address(), a.catchAll());
    }

    static Bulk bulk(Mailboxes.BulkResult result) {
        return new Bulk(result.created().stream().map(c -> new BulkCreated(c.index(), mailbox(c.mailbox()))).toList(),
                result.failed().stream().map(f -> new BulkFailed(f.code().name().toLowerCase(Locale.ROOT), f.index(),
                        f.message())).toList());
    }

    /** Mailroom's domains are provisioned by the operator, so they are always active and ready to send. */
    static Domain domain(Accounts.DomainView v) {
        var d = v.domain();
        List<DomainMailbox> mailboxes = v.mailboxes() == null ? null : v.mailboxes().stream()
                .map(m -> new DomainMailbox(m.id(), m.email(), m.firstName(), m.lastName(), m.status() == MailboxStatus.ACTIVE))
                .toList();
        return new Domain(d.id(), d.name(), "active", true, v.workspace().id(), false, time(d.createdAt()),
                time(d.updatedAt()), null, mailboxes);
    }

    static Account account(Accounts.Account a) {
        var t = a.tenant();
        return new Account(new Client(a.clientId(), t.name()), time(t.createdAt()), t.accountId(), t.name(),
                "active", time(t.updatedAt()));
    }

    static ServiceAccountView serviceAccount(String accountId, ServiceAccount s, String token) {
        return new ServiceAccountView(accountId, s.id(), s.name(), s.permissions(), time(s.createdAt()), time(s.updatedAt()),
                s.tokenPrefix(), s.tokenLast4(), s.tokenPublicId(), null, time(s.expiresAt()), time(s.lastUsedAt()),
                time(s.revokedAt()), null, token);
    }
}
