package mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * House rules that live in the source text rather than in the class files: the core and the store speak
 * no door's words, no tracker number is left in code, and every class says what it is for.
 */
class HouseRulesTest {
    private static final Pattern DOOR_WORDS = Pattern.compile("(?i)feishu|hybridbox|\\blark\\b|open-apis");
    private static final Pattern TRACKER_NUMBER = Pattern.compile("(?i)\\bissue\\s*#?\\d+");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s*\\n)*(?:(?:public|final|abstract|sealed)\\s+)*(?:class|record|enum|interface)\\s+\\w+",
            Pattern.MULTILINE);
    /**
     * Migrations applied before this rule, which Flyway checksums so they stay as written, and the one that
     * renames what V1 named after a door (it has to say the old name).
     */
    private static final Set<String> HISTORIC_MIGRATIONS = Set.of("V1__directory.sql", "V2__hybridbox.sql",
            "V5__neutral_names.sql");

    @Test
    void theDirectoryTheStoreAndTheMigrationsSpeakNoDoorsWords() {
        List<String> found = new ArrayList<>();
        for (Path file : files(Path.of("src/main/java/mailroom/directory"), Path.of("src/main/java/mailroom/store"),
                Path.of("src/main/resources/db"))) {
            if (HISTORIC_MIGRATIONS.contains(file.getFileName().toString())) continue;
            grep(file, DOOR_WORDS, found);
        }
        assertThat(found).as("door words in the core, the store or the migrations").isEmpty();
    }

    @Test
    void noTrackerNumberIsLeftInCode() {
        List<String> found = new ArrayList<>();
        for (Path file : files(Path.of("src/main"), Path.of("src/test/java"))) {
            if (HISTORIC_MIGRATIONS.contains(file.getFileName().toString())) continue;
            grep(file, TRACKER_NUMBER, found);
        }
        assertThat(found).as("tracker numbers in code").isEmpty();
    }

    @Test
    void everyMainClassOpensWithAPurposeComment() {
        List<String> missing = new ArrayList<>();
        for (Path file : files(Path.of("src/main/java"))) {
            if (!file.toString().endsWith(".java")) continue;
            String text = read(file);
            Matcher m = TOP_LEVEL_TYPE.matcher(text);
            if (!m.find() || !text.substring(0, m.start()).stripTrailing().endsWith("*/")) missing.add(file.toString());
        }
        assertThat(missing).as("classes without a purpose comment").isEmpty();
    }

    private static List<Path> files(Path... roots) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(java|sql)$")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static void grep(Path file, Pattern pattern, List<String> found) {
        List<String> lines = List.of(read(file).split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
