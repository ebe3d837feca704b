package mailroom.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading seed files: YAML and JSON alike, and values no database could store are refused up front. */
class SeederTest {
    private static SeedFile read(String text) throws IOException {
        return Seeder.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aJsonSeedReadsLikeItsYamlTwin() throws IOException {
        SeedFile yaml = read("tenants:\n  - {key: acme, domains: [acme.test]}\n");
        SeedFile json = read("{\"tenants\":[{\"key\":\"acme\",\"domains\":[\"acme.test\"]}]}");
        assertThat(json).isEqualTo(yaml);
        assertThat(json.tenants().get(0).domains()).containsExactly("acme.test");
    }

    @Test
    void aNulCharacterAnywhereIsRefusedNamingWhereItIs() {
        assertThatThrownBy(() -> read("{\"tenants\":[{\"key\":\"acme\",\"users\":[{\"user_id\":\"u1\",\"email\":\"a\\u0000@acme.test\"}]}]}"))
                .isInstanceOf(IOException.class)
                .hasMessage("tenants[0].users[0].email contains a NUL character");
    }

    @Test
    void aMisspelledKeyIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> read("tenants:\n  - {key: acme, domain: [acme.test]}\n"))
                .hasMessageContaining("domain");
    }
}
