package mailroom.cli;

import picocli.CommandLine.Option;

/** An online command about one tenant's objects: it takes {@code --tenant KEY}. */
abstract class TenantScoped extends OnlineCommand {
    @Option(names = "--tenant", required = true, paramLabel = "KEY", description = "The tenant's key.")
    String tenant;

    /** The path of this tenant's resource below /admin/v1, each given segment already encoded. */
    String path(String... rest) {
        return tenantPath(tenant, rest);
    }
}
