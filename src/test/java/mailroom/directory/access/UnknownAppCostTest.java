package mailroom.directory.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;

/**
 * An unknown app id costs what a wrong secret costs: the same number of PBKDF2 derivations at the same
 * iteration count, counted by {@link Secrets}' own hook rather than by a clock (so the test cannot be flaky);
 * scripts/benchmark.sh auth prints the times side by side.
 */
class UnknownAppCostTest {
    private static final String TENANT_TOKEN = "/open-apis/auth/v3/tenant_access_token/internal";

    private record Cost(long runs, int iterations, int code) {}

    private static Cost post(FeishuHttp http, String appId, String secret) {
        long before = Secrets.PBKDF2_RUNS.get();
        Secrets.lastIterations = -1;
        FeishuHttp.Response r = http.send("POST", TENANT_TOKEN, null, "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}");
        return new Cost(Secrets.PBKDF2_RUNS.get() - before, Secrets.lastIterations, r.json().get("code").asInt());
    }

    @Test
    void anUnknownAppIdRunsTheSamePbkdf2AsAWrongSecretAndARefusedAttemptRunsNone() {
        int iterations = Integer.parseInt(Secrets.hashPassword("any").split("\\$")[1]);
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(post(http, "cli_full", "secret-full")).isEqualTo(new Cost(1, iterations, 0));
            assertThat(post(http, "cli_full", "wrong")).isEqualTo(new Cost(1, iterations, 10003));
            assertThat(post(http, "cli_nobody", "wrong")).isEqualTo(new Cost(1, iterations, 10003));
            assertThat(post(http, "cli_nobody", "")).as("an empty secret too").isEqualTo(new Cost(1, iterations, 10003));
            for (int i = 0; i < 7; i++) post(http, "cli_nobody_" + i, "wrong");
            // The tenth failure of this address has locked it: refused before any PBKDF2.
            assertThat(post(http, "cli_readonly", "secret-readonly")).isEqualTo(new Cost(0, -1, 99991400));
        }
    }

    @Test
    void theStandInHashAcceptsNoSecretAtAll() {
        assertThat(Secrets.verifyPassword("", Optional.empty())).isFalse();
        assertThat(Secrets.verifyPassword(null, Optional.empty())).isFalse();
        long before = Secrets.PBKDF2_RUNS.get();
        assertThat(Secrets.verifyPassword("secret", Optional.of(Secrets.hashPassword("secret")))).isTrue();
        assertThat(Secrets.PBKDF2_RUNS.get() - before).isEqualTo(2);
    }
}
