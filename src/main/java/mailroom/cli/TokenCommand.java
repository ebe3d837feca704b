package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailroom token --tenant KEY --app APP_ID}: a fresh Feishu {@code tenant_access_token} for curl users, from
 * the server's own token endpoint. The app is first looked up in the tenant through the operator door, so a
 * token of another tenant's app is never printed under this tenant's name.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a fresh Feishu tenant_access_token of a tenant's app; the app secret is read from --secret-file or asked for.")
public final class TokenCommand extends OnlineCommand {
    static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";

    @Option(names = "--tenant", required = true, paramLabel = "KEY", description = "The tenant the app belongs to.")
    String tenant;

    @Option(names = "--app", required = true, paramLabel = "APP_ID", description = "The Feishu app's app_id.")
    String appId;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "File whose first line is the app secret (default: asked for on the terminal; required without one).")
    Path secretFile;

    @Override
    int run(AdminClient client, Output out) {
        client.get(tenantPath(tenant, "apps", AdminClient.segment(appId)));
        String secret = secret();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app_id", appId);
        body.put("app_secret", secret);
        AdminClient.Answer answer = client.sendUnauthenticated("POST", TOKEN_PATH, body);
        JsonNode json = answer.json();
        if (json.path("code").asInt(-1) != 0 || !json.hasNonNull("tenant_access_token")) {
            throw new CliFailure(CliFailure.UNAUTHORIZED, "the app secret was refused (Feishu code " + json.path("code").asText("?")
                    + ", " + json.path("msg").asText("no message") + ")");
        }
        if (out.json()) out.raw(answer);
        else out.line(json.get("tenant_access_token").asText());
        return 0;
    }

    private String secret() {
        if (secretFile != null) return AdminOptions.firstLine(secretFile, "--secret-file");
        Console console = interactiveConsole();
        if (console == null) {
            throw new CliFailure(CliFailure.USAGE, "the app secret is needed: give --secret-file FILE (there is no terminal to ask on)");
        }
        char[] typed = console.readPassword("app secret of %s: ", appId);
        if (typed == null || typed.length == 0) throw new CliFailure(CliFailure.USAGE, "no app secret given");
        return new String(typed).strip();
    }

    /**
     * The console when the command runs on a terminal, else null. From JDK 22 on, System.console() may answer a
     * console that is no terminal; its isTerminal() (absent before 22) tells.
     */
    static Console interactiveConsole() {
        Console console = System.console();
        if (console == null) return null;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (NoSuchMethodException e) {
            return console;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
