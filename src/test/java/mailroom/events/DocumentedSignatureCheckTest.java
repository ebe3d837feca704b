package mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.WebhookReceiver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature checks of docs/events.md, the shell one and the Java one, run as they are written against a real
 * delivery: they accept what Mailroom sent and refuse a body changed by one character.
 */
class DocumentedSignatureCheckTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedShellCheckAcceptsARealDeliveryAndRefusesATamperedOne() throws Exception {
        requireOpenssl();
        String doc = Files.readString(Path.of("docs/events.md"));
        String block = doc.substring(doc.indexOf("<!-- signature-check:begin -->"), doc.indexOf("<!-- signature-check:end -->"));
        String script = block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));
        try (AdminHttp admin = AdminHttp.start(Backend.SQLITE); WebhookReceiver receiver = WebhookReceiver.start()) {
            FeishuHttp.Response hook = admin.send("POST", "/admin/v1/tenants/acme/webhooks",
                    "{\"url\":\"" + receiver.url("/doc") + "\",\"events\":[\"mail_group.created\"]}");
            JsonNode created = hook.json();
            new FeishuHttp(admin.server().port()).call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                    "{\"email\":\"doc@acme.test\",\"name\":\"Doc\"}");
            WebhookReceiver.Received got = receiver.awaitAccepted(1, Duration.ofSeconds(10)).getFirst();
            Map<String, String> env = Map.of("WHSEC", created.get("secret").asText(), "WEBHOOK_ID", got.header("webhook-id"),
                    "WEBHOOK_TIMESTAMP", got.header("webhook-timestamp"), "WEBHOOK_SIGNATURE", got.header("webhook-signature"));

            Files.writeString(dir.resolve("body.json"), got.body(), StandardCharsets.UTF_8);
            assertThat(run(script, env)).isEqualTo("0 valid\n");
            Files.writeString(dir.resolve("body.json"), got.body().replace("doc@", "dog@"), StandardCharsets.UTF_8);
            assertThat(run(script, env)).isEqualTo("1 INVALID\n");
        }
    }

    @Test
    void theDocumentedJavaCheckAcceptsARealDeliveryAndRefusesATamperedOne() throws Exception {
        String doc = Files.readString(Path.of("docs/events.md"));
        String block = doc.substring(doc.indexOf("<!-- signature-check-java:begin -->"), doc.indexOf("<!-- signature-check-java:end -->"));
        String method = block.substring(block.indexOf("```java\n") + 8, block.lastIndexOf("```"));
        Path src = dir.resolve("DocCheck.java");
        Files.writeString(src, """
                import java.nio.charset.StandardCharsets;
                import java.security.MessageDigest;
                import java.time.Instant;
                import java.util.Base64;
                import javax.crypto.Mac;
                import javax.crypto.spec.SecretKeySpec;

                public class DocCheck {
                """ + method + "}\n");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", dir.toString(), src.toString())).as("the documented Java compiles").isZero();
        java.lang.reflect.Method verified;
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[]{dir.toUri().toURL()})) {
            verified = loader.loadClass("DocCheck").getDeclaredMethod("verified", String.class, String.class, String.class,
                    byte[].class, String.class);
            verified.setAccessible(true);
            try (AdminHttp admin = AdminHttp.start(Backend.SQLITE); WebhookReceiver receiver = WebhookReceiver.start()) {
                String secret = admin.send("POST", "/admin/v1/tenants/acme/webhooks",
                        "{\"url\":\"" + receiver.url("/java") + "\",\"events\":[\"mail_group.created\"]}").json().get("secret").asText();
                new FeishuHttp(admin.server().port()).call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                        "{\"email\":\"java@acme.test\",\"name\":\"Java\"}");
                WebhookReceiver.Received got = receiver.awaitAccepted(1, Duration.ofSeconds(10)).getFirst();
                byte[] body = got.body().getBytes(StandardCharsets.UTF_8);
                assertThat(verified.invoke(null, secret, got.header("webhook-id"), got.header("webhook-timestamp"), body,
                        got.header("webhook-signature"))).isEqualTo(true);
                assertThat(verified.invoke(null, secret, got.header("webhook-id"), got.header("webhook-timestamp"),
                        got.body().replace("java@", "jav4@").getBytes(StandardCharsets.UTF_8), got.header("webhook-signature")))
                        .isEqualTo(false);
            }
        }
    }

    private String run(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out;
    }

    private static void requireOpenssl() throws Exception {
        boolean present;
        try {
            present = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the documented signature check, but openssl is not installed "
                    + "(scripts/install-test-deps.sh installs it)");
        }
        Assumptions.assumeTrue(present, "openssl is not installed: the documented shell signature check is skipped");
    }
}
