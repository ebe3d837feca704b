package mailroom.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's complete example is the example test that runs: the seed, the test and its token cache, verbatim. */
class ReadmeExampleTest {
    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8).stripTrailing();
    }

    @Test
    void theReadmeShowsTheExampleFilesAsTheyAre() throws IOException {
        String readme = read("README.md");
        assertThat(readme).contains("```yaml\n" + read("src/test/resources/world.yaml") + "\n```");
        assertThat(readme).contains("```java\n" + read("src/test/java/example/LarkSdkExampleTest.java") + "\n```");
        assertThat(readme).contains("```java\n" + read("src/test/java/example/InMemoryTokenCache.java") + "\n```");
    }
}
