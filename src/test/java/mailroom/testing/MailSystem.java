package mailroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private, real Postfix and Dovecot for one test: their own config, queue, logs and Maildirs in a
 * temporary directory, so tests prove delivery end to end without touching (or needing) a system MTA.
 * Postfix delivers over LMTP to Dovecot and asks Dovecot to check SASL logins; the directory part of
 * main.cf (maps and restrictions) is the test's own, normally {@link #mailroomMainCf}.
 */
public final class MailSystem implements AutoCloseable {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> QUEUES_IN_FLIGHT = List.of("maildrop", "incoming", "active");

    private final Path root;
    private final Path etc;
    private final Path queue;
    private final Path mail;
    private final Path dovecotBase;
    private final Path logins;
    private final int smtpPort;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private boolean postfixStarted;
    private boolean dovecotStarted;

    private MailSystem(Path root, int smtpPort) {
        this.root = root;
        this.etc = root.resolve("postfix");
        this.queue = root.resolve("queue");
        this.mail = root.resolve("mail");
        this.dovecotBase = root.resolve("dovecot");
        this.logins = root.resolve("logins");
        this.smtpPort = smtpPort;
    }

    /** Why this machine cannot run a mail system for tests, or null when it can. */
    public static String unavailableBecause() {
        if (!Files.isExecutable(POSTFIX)) return "postfix is not installed (" + POSTFIX + "); scripts/install-test-deps.sh installs it";
        if (!Files.isExecutable(DOVECOT)) return "dovecot is not installed (" + DOVECOT + "); scripts/install-test-deps.sh installs it";
        if (!Files.isDirectory(Path.of("/usr/lib/dovecot/modules")) || !Files.isExecutable(Path.of("/usr/lib/dovecot/lmtp"))) {
            return "Dovecot's LMTP server (dovecot-lmtpd) is not installed";
        }
        if (!"root".equals(System.getProperty("user.name"))) return "postfix start needs root; tests run as " + System.getProperty("user.name");
        return null;
    }

    /**
     * The main.cf lines of the MTA door's contract (its section 5), for Mailroom listening on these
     * loopback ports: Postfix asks Mailroom for every domain, mailbox, alias, sender login and group
     * send permission.
     */
    public static String mailroomMainCf(int socketmapPort, int policyPort) {
        String map = "socketmap:inet:127.0.0.1:" + socketmapPort + ":";
        return "virtual_mailbox_domains = " + map + "domain\n"
                + "virtual_mailbox_maps    = " + map + "mailbox\n"
                + "virtual_alias_maps      = " + map + "alias\n"
                + "smtpd_sender_login_maps = " + map + "senders\n"
                + "virtual_alias_domains   =\n"
                + "virtual_transport       = lmtp:unix:private/dovecot-lmtp\n"
                + "smtpd_sasl_auth_enable  = yes\n"
                + "smtpd_sasl_type         = dovecot\n"
                + "smtpd_sasl_path         = private/auth\n"
                + "smtpd_relay_restrictions = permit_sasl_authenticated reject_unauth_destination\n"
                + "smtpd_sender_restrictions = reject_sender_login_mismatch\n"
                + "smtpd_recipient_restrictions =\n"
                + "    check_policy_service { inet:127.0.0.1:" + policyPort
                + ", timeout=10s, { default_action = 451 4.3.5 directory policy unavailable } }\n"
                + "    reject_unlisted_recipient\n";
    }

    /**
     * Starts Postfix (smtpd on a free loopback port) with the given directory part of main.cf, and
     * Dovecot with these SASL logins (login → plain password).
     */
    public static MailSystem start(String directoryMainCf, Map<String, String> saslLogins) {
        MailSystem m;
        try {
            Path root = Files.createTempDirectory("mailsystem");
            // Postfix's and Dovecot's unprivileged processes must reach their files below it.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            m = new MailSystem(root, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            m.passwords.putAll(saslLogins);
            m.configure(directoryMainCf);
            m.startPostfix();
            m.startDovecot();
            return m;
        } catch (RuntimeException | IOException | InterruptedException e) {
            String logs = m.logs();
            m.close();
            throw new IllegalStateException("cannot start the mail system; its logs:\n" + logs, e);
        }
    }

    /**
     * Skips the calling test when this machine cannot run the mail system, saying why; under CI
     * (CI=true) fails instead, because there the end-to-end proof must never be skipped.
     */
    public static void assumeAvailable() {
        String why = unavailableBecause();
        if (why == null) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI must run the mail system tests, but " + why);
        Assumptions.abort("no real mail system here: " + why);
    }

    public int smtpPort() {
        return smtpPort;
    }

    public SmtpClient connect() {
        return SmtpClient.connect(smtpPort);
    }

    /** Adds (or changes) a SASL login while running; Dovecot re-reads its passwd-file when it changes. */
    public synchronized void addLogin(String login, String password) {
        passwords.put(login, password);
        try {
            writeLogins();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Dovecot looks at its passwd-file at most once a second: let that second pass.
        sleep(1_100);
    }

    /** The messages delivered to this address's Maildir inbox, as text, oldest first. */
    public List<String> inbox(String address) {
        Path dir = mail.resolve(address.toLowerCase());
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            try {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }

    /** How many messages in this address's inbox contain the marker (e.g. a unique Subject). */
    public long delivered(String address, String marker) {
        return inbox(address).stream().filter(t -> t.contains(marker)).count();
    }

    /** The addresses that have a Maildir at all (that were ever delivered to). */
    public List<String> mailboxesDeliveredTo() {
        if (!Files.isDirectory(mail)) return List.of();
        try (Stream<Path> s = Files.list(mail)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until Postfix has nothing in flight (every accepted message delivered or deferred), so
     * that Maildir counts are final. Fails when that takes longer than the timeout.
     */
    public void awaitQueueSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietRounds = 0;
        while (quietRounds < 3) {
            if (System.nanoTime() > deadline) throw new AssertionError("the Postfix queue did not settle; maillog:\n" + maillog());
            quietRounds = queued(QUEUES_IN_FLIGHT) == 0 ? quietRounds + 1 : 0;
            sleep(100);
        }
    }

    /** How many messages wait in Postfix's deferred queue. */
    public int deferred() {
        return queued(List.of("deferred"));
    }

    public String maillog() {
        return read(root.resolve("maillog"));
    }

    public String dovecotLog() {
        return read(root.resolve("dovecot.log"));
    }

    public String logs() {
        return "--- maillog\n" + maillog() + "--- dovecot.log\n" + dovecotLog() + "--- postfix start\n" + read(root.resolve("postfix-start.out"));
    }

    @Override
    public synchronized void close() {
        if (postfixStarted) {
            postfixStarted = false;
            Long master = pidFrom(queue.resolve("pid/master.pid"));
            try {
                run(List.of(POSTFIX.toString(), "-c", etc.toString(), "stop"), root.resolve("postfix-stop.out"));
            } catch (IOException | InterruptedException e) {
                // fall through to killing the master below
            }
            if (master != null) stop(master);
        }
        if (dovecotStarted) {
            dovecotStarted = false;
            Long master = pidFrom(dovecotBase.resolve("master.pid"));
            if (master != null) stop(master);
        }
        deleteTree(root);
    }

    private void configure(String directoryMainCf) throws IOException {
        Files.createDirectories(etc);
        Path data = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(queue);
        Files.createDirectories(mail);
        Files.createDirectories(root.resolve("dovecot-state"));
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        Files.setOwner(mail, users.lookupPrincipalByName("mail"));
        Files.writeString(etc.resolve("main.cf"), mainCf(directoryMainCf));
        Files.writeString(etc.resolve("master.cf"), masterCf());
        Files.writeString(root.resolve("dovecot.conf"), dovecotConf());
        writeLogins();
    }

    private String mainCf(String directoryMainCf) {
        return "# A sandboxed Postfix for one test: no DNS, no syslog, loopback only, no local delivery.\n"
                + "compatibility_level = 3.6\n"
                + "queue_directory = " + queue + "\n"
                + "data_directory = " + root.resolve("data") + "\n"
                + "mail_owner = postfix\n"
                + "setgid_group = postdrop\n"
                + "myhostname = mx.mailroom.test\n"
                + "mydomain = mailroom.test\n"
                + "myorigin = $myhostname\n"
                + "mydestination =\n"
                + "relayhost =\n"
                + "alias_maps =\n"
                + "alias_database =\n"
                + "local_recipient_maps =\n"
                + "inet_interfaces = loopback-only\n"
                + "inet_protocols = ipv4\n"
                + "smtpd_peername_lookup = no\n"
                + "disable_dns_lookups = yes\n"
                + "smtp_dns_support_level = disabled\n"
                + "maillog_file = " + root.resolve("maillog") + "\n"
                + "maillog_file_prefixes = " + root + "\n"
                + "biff = no\n"
                + "smtpd_banner = $myhostname ESMTP\n"
                + "# Delivery failures must be retried within a test's lifetime, not after minutes.\n"
                + "queue_run_delay = 1s\n"
                + "minimal_backoff_time = 1s\n"
                + "maximal_backoff_time = 2s\n"
                + "# The directory: maps, SASL and restrictions.\n"
                + directoryMainCf;
    }

    private String masterCf() {
        // No chroot: the queue lives in a temporary directory that has none of a chroot's copies.
        return "127.0.0.1:" + smtpPort + " inet n - n - - smtpd\n"
                + "pickup    unix  n - n 60 1 pickup\n"
                + "cleanup   unix  n - n - 0 cleanup\n"
                + "qmgr      unix  n - n 300 1 qmgr\n"
                + "tlsmgr    unix  - - n 1000? 1 tlsmgr\n"
                + "rewrite   unix  - - n - - trivial-rewrite\n"
                + "bounce    unix  - - n - 0 bounce\n"
                + "defer     unix  - - n - 0 bounce\n"
                + "trace     unix  - - n - 0 bounce\n"
                + "verify    unix  - - n - 1 verify\n"
                + "flush     unix  n - n 1000? 0 flush\n"
                + "proxymap  unix  - - n - - proxymap\n"
                + "smtp      unix  - - n - - smtp\n"
                + "relay     unix  - - n - - smtp\n"
                + "showq     unix  n - n - - showq\n"
                + "error     unix  - - n - - error\n"
                + "retry     unix  - - n - - error\n"
                + "discard   unix  - - n - - discard\n"
                + "lmtp      unix  - - n - - lmtp\n"
                + "anvil     unix  - - n - 1 anvil\n"
                + "scache    unix  - - n - 1 scache\n"
                + "postlog   unix-dgram n - n - 1 postlogd\n";
    }

    private String dovecotConf() {
        // Dovecot refuses mail access as root (uid or gid 0): mail is stored as the system user "mail".
        return "base_dir = " + dovecotBase + "\n"
                + "state_dir = " + root.resolve("dovecot-state") + "\n"
                + "log_path = " + root.resolve("dovecot.log") + "\n"
                + "protocols = lmtp\n"
                + "listen = 127.0.0.1\n"
                + "ssl = no\n"
                + "disable_plaintext_auth = no\n"
                + "auth_mechanisms = plain login\n"
                + "auth_verbose = yes\n"
                + "first_valid_uid = 1\n"
                + "first_valid_gid = 1\n"
                + "mail_uid = mail\n"
                + "mail_gid = mail\n"
                + "mail_location = maildir:" + mail + "/%Lu\n"
                + "passdb {\n"
                + "  driver = passwd-file\n"
                + "  args = scheme=PLAIN username_format=%Lu " + logins + "\n"
                + "}\n"
                + "userdb {\n"
                + "  driver = static\n"
                + "  args = allow_all_users=yes\n"
                + "}\n"
                + "service lmtp {\n"
                + "  unix_listener " + queue.resolve("private/dovecot-lmtp") + " {\n"
                + "    mode = 0600\n"
                + "    user = postfix\n"
                + "  }\n"
                + "}\n"
                + "service auth {\n"
                + "  unix_listener " + queue.resolve("private/auth") + " {\n"
                + "    mode = 0600\n"
                + "    user = postfix\n"
                + "  }\n"
                + "}\n"
                + "service anvil {\n"
                + "  chroot =\n"
                + "}\n";
    }

    private void writeLogins() throws IOException {
        StringBuilder b = new StringBuilder();
        passwords.forEach((login, password) -> b.append(login.toLowerCase()).append(":{PLAIN}").append(password).append("\n"));
        Path tmp = root.resolve("logins.tmp");
        Files.writeString(tmp, b.toString());
        Files.move(tmp, logins, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void startPostfix() throws IOException, InterruptedException {
        int rc = run(List.of(POSTFIX.toString(), "-c", etc.toString(), "start"), root.resolve("postfix-start.out"));
        postfixStarted = true;
        if (rc != 0) throw new IllegalStateException("postfix start exited " + rc);
        await("Postfix's smtpd on port " + smtpPort, () -> accepts(smtpPort));
    }

    private void startDovecot() throws IOException, InterruptedException {
        int rc = run(List.of(DOVECOT.toString(), "-c", root.resolve("dovecot.conf").toString()), root.resolve("dovecot-start.out"));
        dovecotStarted = true;
        if (rc != 0) throw new IllegalStateException("dovecot exited " + rc + ": " + read(root.resolve("dovecot-start.out")));
        await("Dovecot's LMTP and auth sockets",
                () -> Files.exists(queue.resolve("private/dovecot-lmtp")) && Files.exists(queue.resolve("private/auth")));
    }

    private int queued(List<String> names) {
        int n = 0;
        for (String name : names) {
            Path d = queue.resolve(name);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.walk(d)) {
                n += (int) s.filter(Files::isRegularFile).count();
            } catch (IOException e) {
                // a queue file moved while we looked: count again next round
                n++;
            }
        }
        return n;
    }

    private static int run(List<String> command, Path output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60 s");
        }
        return p.exitValue();
    }

    private static void stop(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    private static Long pidFrom(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(what + " did not come up within " + START_TIMEOUT);
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a socket or file a dying daemon still removes itself; the temp dir is best effort
                }
            });
        } catch (IOException ignored) {
            // best effort, see above
        }
    }
}
