package mailroom.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom operator-token create|list|revoke}: the tokens of the operator door itself. */
@Command(name = "operator-token", mixinStandardHelpOptions = true, description = "Create, list and revoke operator tokens.",
        subcommands = {OperatorTokenCommand.Create.class, OperatorTokenCommand.ListTokens.class, OperatorTokenCommand.Revoke.class})
public final class OperatorTokenCommand {
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    /** {@code operator-token create --name N --role admin|viewer [--tenant KEY]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an operator token; the token is printed this once only.")
    static final class Create extends OnlineCommand {
        @Option(names = "--name", required = true, description = "What the token is for.")
        String name;

        @Option(names = "--role", required = true, description = "admin (every write) or viewer (reads only).")
        String role;

        @Option(names = "--tenant", paramLabel = "KEY", description = "Scope it to this tenant (default: every tenant).")
        String tenant;

        @Override
        int run(AdminClient client, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            if (tenant != null) body.put("tenant", tenant);
            out.object(client.post("/operator-tokens", body));
            return 0;
        }
    }

    /** {@code operator-token list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the operator tokens (never their secret).")
    static final class ListTokens extends OnlineCommand {
        @Option(names = "--limit", description = "One page of this many (default: every token).")
        Integer limit;

        @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit list).")
        String cursor;

        @Override
        int run(AdminClient client, Output out) {
            list(client, out, "/operator-tokens", limit, cursor, "id", "name", "role", "tenant", "created_at", "revoked_at");
            return 0;
        }
    }

    /** {@code operator-token revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an operator token: refused at once on every node.")
    static final class Revoke extends OnlineCommand {
        @Parameters(paramLabel = "ID", description = "The token's id (from operator-token list).")
        String id;

        @Override
        int run(AdminClient client, Output out) {
            client.delete("/operator-tokens/" + AdminClient.segment(id));
            done(out, "revoked operator token " + id);
            return 0;
        }
    }
}
