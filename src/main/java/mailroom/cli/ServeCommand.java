package mailroom.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mailroom serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Mailroom server.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", defaultValue = "./data", description = "Directory of the SQLite file (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database-url", defaultValue = "${env:MAILROOM_DATABASE_URL}",
            description = "A jdbc:postgresql:// URL to use PostgreSQL instead of SQLite (also MAILROOM_DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--seed", description = "Seed file (YAML or JSON) to provision at start-up; idempotent.")
    Path seed;

    @Option(names = "--demo", description = "Provision the built-in demo tenant and print its credentials.")
    boolean demo;

    @Option(names = "--rate-limits", defaultValue = "documented",
            description = "documented (Feishu's per-endpoint limits) or off (default: ${DEFAULT-VALUE}).")
    String rateLimits;

    @Override
    public Integer call() throws Exception {
        if (!rateLimits.equals("documented") && !rateLimits.equals("off")) {
            System.err.println("--rate-limits must be 'documented' or 'off'");
            return 2;
        }
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
            System.err.println("--database-url must be a jdbc:postgresql:// URL");
            return 2;
        }
        List<SeedFile> seeds = new ArrayList<>();
        if (demo) seeds.add(Seeder.demo());
        if (seed != null) seeds.add(Seeder.read(seed));
        MailroomServer server = MailroomServer.start(new MailroomServer.Options(host, port, data,
                databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl, seeds, rateLimits.equals("documented")));
        if (demo) printDemo(server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private void printDemo(int actualPort) {
        String base = "http://" + host + ":" + actualPort;
        System.out.println("""
                Demo tenant provisioned.
                  Feishu base URL      %s
                  app_id / app_secret  cli_demo00000001 / demo-secret
                  domains              demo.test, demo-mail.test
                  users (open_id)      ou_100 alice@demo.test, ou_200 bob@demo.test, ou_300 carol@demo.test
                  Hybridbox            %s/v1/public/accounts/6f1c2a4e-3b7d-4c8e-9a10-2b3c4d5e6f70
                  Hybridbox token      hbx_sa_demo_provisioning
                """.formatted(base, base));
    }
}
