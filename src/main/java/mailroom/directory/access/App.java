package mailroom.directory.access;

import java.util.Set;

public record App(String appId, String tenantKey, String secretHash, Set<String> scopes) {}
