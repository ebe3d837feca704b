package mailroom.directory.access;

import java.util.Set;

/** An API app of a tenant: its secret only as a hash, and the scopes it was granted. */
public record App(String appId, String tenantKey, String secretHash, Set<String> scopes) {}
