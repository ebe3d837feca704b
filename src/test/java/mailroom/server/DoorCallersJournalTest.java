package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Each HTTP door journals its writes under the caller it authenticated, with the request's own id. */
class DoorCallersJournalTest {
    @AutoClose
    private final MailroomServer server = TestServers.start(Backend.SQLITE);

    private List<Change.Entry> since(long seq) {
        return server.directory().journal().after(seq, 100);
    }

    @Test
    void aFeishuWriteIsJournalledAsItsAppWithTheLogIdItAnswered() {
        FeishuHttp feishu = new FeishuHttp(server.port());
        long start = server.directory().journal().lastSeq();
        FeishuHttp.Response r = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"sales@acme.test\"}");
        assertThat(r.json().path("code").asInt()).isZero();

        List<Change.Entry> entries = since(start);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).change().caller()).isEqualTo(
                new Caller("acme", Caller.ActorKind.APP, "cli_full", r.header("X-Tt-Logid")));
        assertThat(entries.get(0).change().objectId()).isEqualTo(r.json().path("data").path("mailgroup_id").asText());
    }

    @Test
    void aHybridboxWriteIsJournalledAsItsServiceAccountWithARequestIdOfItsOwn() {
        HybridboxHttp hybridbox = new HybridboxHttp(server.port());
        String serviceAccount = server.directory().serviceAccounts()
                .authenticate(HybridboxHttp.PROVISIONING).orElseThrow().serviceAccountId();
        long start = server.directory().journal().lastSeq();
        for (String local : List.of("erin", "sam")) {
            FeishuHttp.Response r = hybridbox.call(HybridboxHttp.PROVISIONING, "POST",
                    HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"),
                    "{\"domain\":\"acme.test\",\"local_part\":\"" + local + "\",\"first_name\":\"A\",\"last_name\":\"B\"}");
            assertThat(r.status()).isEqualTo(201);
        }

        List<Change.Entry> entries = since(start);
        assertThat(entries).extracting(e -> e.change().objectKind()).containsOnly(Change.ObjectKind.USER_MAILBOX);
        assertThat(entries).hasSize(2).allSatisfy(e -> {
            assertThat(e.change().caller().actorKind()).isEqualTo(Caller.ActorKind.SERVICE_ACCOUNT);
            assertThat(e.change().caller().actorId()).isEqualTo(serviceAccount);
            assertThat(e.change().caller().requestId()).isNotBlank();
        });
        assertThat(entries.get(0).change().caller().requestId()).isNotEqualTo(entries.get(1).change().caller().requestId());
    }
}
