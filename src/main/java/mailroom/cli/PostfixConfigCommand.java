package mailroom.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import mailroom.mta.HostPort;
import mailroom.mta.PostfixConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailroom postfix-config}: prints the main.cf lines that point Postfix at Mailroom's MTA listeners. */
@Command(name = "postfix-config", mixinStandardHelpOptions = true,
        description = "Print the Postfix main.cf lines for Mailroom's socketmap and policy listeners.")
public final class PostfixConfigCommand implements Callable<Integer> {
    @Option(names = "--socketmap", required = true, paramLabel = "HOST:PORT", description = "Where mailroom serve --socketmap listens.")
    String socketmap;

    @Option(names = "--policy", required = true, paramLabel = "HOST:PORT", description = "Where mailroom serve --policy listens.")
    String policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HostPort maps;
        HostPort service;
        try {
            maps = HostPort.parse(socketmap);
            service = HostPort.parse(policy);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(PostfixConfig.mainCf(maps, service));
        out.flush();
        return 0;
    }
}
