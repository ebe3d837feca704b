package mailroom;

import mailroom.cli.AdminOptions;
import mailroom.cli.AppCommand;
import mailroom.cli.AuditCommand;
import mailroom.cli.BackupCommand;
import mailroom.cli.ChangesCommand;
import mailroom.cli.CheckSeedCommand;
import mailroom.cli.DepartmentCommand;
import mailroom.cli.DomainCommand;
import mailroom.cli.ExportCommand;
import mailroom.cli.ImportCommand;
import mailroom.cli.OperatorTokenCommand;
import mailroom.cli.PostfixConfigCommand;
import mailroom.cli.Preload;
import mailroom.cli.RestoreCommand;
import mailroom.cli.ServeCommand;
import mailroom.cli.ServiceAccountCommand;
import mailroom.cli.TenantCommand;
import mailroom.cli.TokenCommand;
import mailroom.cli.UserCommand;
import mailroom.cli.WebhookCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code mailroom} command line: one subcommand class per command. */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "mailroom 0.1.0",
        description = "Mail directory server speaking the Feishu/Lark Mail v1 and Hybridbox APIs.",
        subcommands = {ServeCommand.class, PostfixConfigCommand.class, CheckSeedCommand.class, BackupCommand.class, RestoreCommand.class,
            TenantCommand.class, DomainCommand.class, AppCommand.class, ServiceAccountCommand.class, DepartmentCommand.class,
            UserCommand.class, ImportCommand.class, ExportCommand.class, TokenCommand.class, OperatorTokenCommand.class,
            ChangesCommand.class, WebhookCommand.class, AuditCommand.class})
public final class Main implements Runnable {
    /** The online commands' --url, --token-file and --json, accepted before the subcommand too. */
    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) Preload.start();
        int exit = commandLine().execute(args);
        if (exit != 0) System.exit(exit);
    }

    /** The whole command tree as {@link #main} runs it (tests run commands in-process through it). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // A mistyped option deserves one line and a pointer to the help, not the whole usage.
        cli.setParameterExceptionHandler((e, given) -> {
            e.getCommandLine().getErr().println("mailroom: " + e.getMessage());
            e.getCommandLine().getErr().println("see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return 2;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
