package mailroom.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * When the extension starts and stops: test classes of its own are run through the JUnit Platform, and what they
 * saw is checked after them (the server gone, its directory deleted, the reasons of a start that failed).
 */
class ExtensionLifeCycleTest {
    /** What the sample class saw while its sandbox ran. */
    static final List<Object> seen = new ArrayList<>();

    /** A class with one test that notes the sandbox's port and directory. */
    static class OneTest {
        @RegisterExtension
        static final MailroomSandbox sandbox = MailroomSandbox.withDemoSeed();

        @Test
        void notesWhereTheSandboxRuns() {
            seen.add(sandbox);
            seen.add(sandbox.port());
            seen.add(sandbox.workDir());
            seen.add(sandbox.app("cli_demo00000001").tenantKey());
        }
    }

    /** A class whose seed does not exist. */
    static class MissingSeed {
        @RegisterExtension
        static final MailroomSandbox sandbox = MailroomSandbox.withSeed("nosuch.yaml");

        @Test
        void neverRuns() {}
    }

    /** A class whose seed file grants a scope Feishu does not have. */
    static class SeedBreakingARule {
        static final Path seedFile = writeSeed();
        @RegisterExtension
        static final MailroomSandbox sandbox = MailroomSandbox.withSeed(seedFile);

        static Path writeSeed() {
            try {
                Path file = Files.createTempFile("bad-seed-", ".yaml");
                file.toFile().deleteOnExit();
                return Files.writeString(file, "tenants:\n  - key: bad\n    name: Bad\n    domains: [bad.test]\n    apps:\n"
                        + "      - {app_id: cli_bad, app_secret: s, scopes: [mail:everything]}\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void neverRuns() {}
    }

    /** A class that registers the sandbox on an instance field. */
    static class InstanceField {
        @RegisterExtension
        final MailroomSandbox sandbox = MailroomSandbox.withDemoSeed();

        @Test
        void isRefused() {}
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener[]{listener});
        return listener.getSummary();
    }

    private static String firstFailure(TestExecutionSummary summary) {
        return summary.getFailures().get(0).getException().getMessage();
    }

    @Test
    void afterTheLastTestTheServerIsStoppedAndItsDirectoryDeleted() {
        seen.clear();
        TestExecutionSummary summary = run(OneTest.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(seen).hasSize(4);
        MailroomSandbox sandbox = (MailroomSandbox) seen.get(0);
        int port = (Integer) seen.get(1);
        Path dir = (Path) seen.get(2);
        assertThat(seen.get(3)).isEqualTo("demo");
        assertThat(port).isPositive();
        assertThat(dir.getFileName().toString()).startsWith("mailroom-sandbox-");
        assertThat(Files.exists(dir)).as("deleted: " + dir).isFalse();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
        assertThatThrownBy(sandbox::reset).isInstanceOf(IllegalStateException.class)
                .hasMessage("the sandbox is not running (it runs from before the first test to after the last)");
    }

    @Test
    void aSeedThatIsNotOnTheClassPathFailsTheClassNamingIt() {
        TestExecutionSummary summary = run(MissingSeed.class);
        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(firstFailure(summary)).isEqualTo("no seed resource nosuch.yaml on the class path (e.g. src/test/resources/nosuch.yaml)");
    }

    @Test
    void aSeedThatBreaksARuleFailsTheClassWithTheServersReason() {
        TestExecutionSummary summary = run(SeedBreakingARule.class);
        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(firstFailure(summary)).startsWith("seed " + SeedBreakingARule.seedFile + ": tenants[0] (bad): apps[0].scopes[0]: "
                + "unknown scope mail:everything (known: contact:contact, ");
    }

    @Test
    void anInstanceFieldIsRefusedWithHowToRegisterIt() {
        TestExecutionSummary summary = run(InstanceField.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        assertThat(firstFailure(summary)).isEqualTo("MailroomSandbox runs per test class: register it on a static field "
                + "(@RegisterExtension static final MailroomSandbox ...)");
    }
}
