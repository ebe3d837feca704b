package mailroom.api.hybridbox;

import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import mailroom.api.hybridbox.HybridboxRouter.Reply;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.access.ServiceAccounts.Issued;

/** Hybridbox service-account routes: list, create, rotate and revoke; plaintext tokens appear only in create/rotate. */
final class ServiceAccountApi {
    private static final String BASE = "/auth/service-accounts";
    private static final String CAPABILITY = "service_account.manage";

    /** The first and last instants RFC 3339 can write in UTC (years 0001-9999). */
    private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_INSTANT = Instant.ofEpochMilli(ServiceAccounts.MAX_EXPIRES_AT);

    private final ServiceAccounts accounts;

    ServiceAccountApi(ServiceAccounts accounts) {
        this.accounts = accounts;
    }

    void register(HybridboxRouter r) {
        r.route(GET, BASE, CAPABILITY, c -> {
            Validation v = new Validation();
            boolean includeRevoked = c.queryBool(v, "include_revoked", false);
            v.throwIfAny();
            String accountId = c.principal().accountId();
            return Reply.ok(accounts.list(c.caller(), includeRevoked).stream()
                    .map(s -> HybridboxViews.serviceAccount(accountId, s, null)).toList());
        });
        r.route(POST, BASE, CAPABILITY, this::create);
        r.route(POST, BASE + "/{service_account_id}/rotate", CAPABILITY, c -> {
            Issued issued = accounts.rotate(c.caller(), c.principal().permissions(), c.pathUuid("service_account_id"));
            return Reply.ok(HybridboxViews.serviceAccount(c.principal().accountId(), issued.account(), issued.token()));
        });
        r.route(POST, BASE + "/{service_account_id}/revoke", CAPABILITY, c -> {
            ServiceAccount revoked = accounts.revoke(c.caller(), c.principal().permissions(), c.pathUuid("service_account_id"));
            return Reply.ok(HybridboxViews.serviceAccount(c.principal().accountId(), revoked, null));
        });
    }

    private Reply create(HybridboxCall c) {
        Validation v = new Validation();
        JsonNode body = c.bodyObject();
        List<Object> at = List.of("body");
        String name = v.lengthChecked(v.requiredString(body, at, "name"), body.get("name"), List.of("body", "name"), 1,
                ServiceAccounts.MAX_NAME_LENGTH);
        Long expiresAt = dateTime(v, body.get("expires_at"), List.of("body", "expires_at"));
        List<String> permissions = null;
        JsonNode list = v.list(body, at, "permissions", 0, ServiceAccounts.CAPABILITIES.size(), false);
        if (list != null) {
            permissions = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i);
                if (p.isTextual()) permissions.add(p.asText());
                else v.add("string_type", List.of("body", "permissions", i), "Input should be a valid string", p);
            }
        }
        v.throwIfAny();
        Issued issued = accounts.create(c.caller(), c.principal().permissions(), name, expiresAt, permissions);
        return Reply.created(HybridboxViews.serviceAccount(c.principal().accountId(), issued.account(), issued.token()));
    }

    /**
     * An RFC 3339 date-time (a missing offset means UTC) as epoch millis; absent or null is null. Its year in
     * UTC must be 1-9999: answers render it as RFC 3339 UTC, which has four-digit years, and Java would
     * otherwise accept years up to +999999999 (whose epoch millis overflow).
     */
    private static Long dateTime(Validation v, JsonNode value, List<Object> loc) {
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            v.add("datetime_type", loc, "Input should be a valid datetime", value);
            return null;
        }
        String text = value.asText().trim();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                v.add("datetime_parsing", loc, "Input should be a valid datetime", value);
                return null;
            }
        }
        if (instant.isBefore(FIRST_INSTANT) || instant.isAfter(LAST_INSTANT)) {
            v.add("datetime_parsing", loc, "Input should be a valid datetime, year must be between 1 and 9999 in UTC",
                    value);
            return null;
        }
        return instant.toEpochMilli();
    }
}
