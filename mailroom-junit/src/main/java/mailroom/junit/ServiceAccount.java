package mailroom.junit;

import java.util.List;

/**
 * A Hybridbox service account of the seed: its bearer token and the account (the {@code account_id} of the
 * Hybridbox paths) it acts in.
 */
public record ServiceAccount(String tenantKey, String accountId, String name, String token, List<String> permissions) {
    public ServiceAccount {
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }
}
