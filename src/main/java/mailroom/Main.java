package mailroom;

import mailroom.cli.PostfixConfigCommand;
import mailroom.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailroom} command line: one subcommand class per command. */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "mailroom 0.1.0",
        description = "Mail directory server speaking the Feishu/Lark Mail v1 and Hybridbox APIs.",
        subcommands = {ServeCommand.class, PostfixConfigCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).execute(args);
        if (exit != 0) System.exit(exit);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
