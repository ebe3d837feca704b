package mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public face of every directory package, checked in as {@code src/test/resources/directory-faces.txt}:
 * each public type and its public methods. Everything else is package-private, so sub-packages reach
 * each other only through what this file lists, and any widening of a face shows up in review.
 *
 * <p>After a deliberate change, regenerate the file and review its diff:
 * <pre>. scripts/find-jdk.sh && mvn -B -ntp test -Dtest=DirectoryFacesTest -Dfaces.update=true</pre>
 */
class DirectoryFacesTest {
    static final Path FACES_FILE = Path.of("src/test/resources/directory-faces.txt");

    @Test
    void theCheckedInFacesAreExactlyThePublicTypesAndMethodsOfTheDirectory() throws IOException {
        List<String> actual = faces();
        if (Boolean.getBoolean("faces.update")) {
            Files.writeString(FACES_FILE, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
        }
        List<String> checkedIn = Files.readAllLines(FACES_FILE, StandardCharsets.UTF_8);
        assertThat(String.join("\n", actual) + "\n")
                .as("public faces of mailroom.directory.. (regenerate with: . scripts/find-jdk.sh && mvn -B -ntp test "
                        + "-Dtest=DirectoryFacesTest -Dfaces.update=true)")
                .isEqualTo(String.join("\n", checkedIn) + "\n");
    }

    static List<String> faces() {
        List<JavaClass> types = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("mailroom.directory").stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && !c.isAnonymousClass())
                .filter(DirectoryFacesTest::reachable)
                .sorted(Comparator.comparing(JavaClass::getName))
                .toList();
        List<String> out = new ArrayList<>();
        String pkg = null;
        for (JavaClass type : types) {
            if (!type.getPackageName().equals(pkg)) {
                pkg = type.getPackageName();
                out.add("# " + pkg);
            }
            out.add(kind(type) + " " + type.getName().substring(pkg.length() + 1).replace('$', '.'));
            type.getCodeUnits().stream()
                    .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC) && m.getOwner().equals(type))
                    .filter(m -> !m.getModifiers().contains(JavaModifier.SYNTHETIC) && !m.getModifiers().contains(JavaModifier.BRIDGE))
                    .filter(m -> !type.isRecord() || !isRecordMember(type, m))
                    .filter(m -> !type.isEnum() || !List.of("values", "valueOf").contains(m.getName()))
                    .map(DirectoryFacesTest::signature)
                    .sorted()
                    .forEach(s -> out.add("    " + s));
        }
        return out;
    }

    /** A nested public type counts only when every type around it is public too. */
    private static boolean reachable(JavaClass type) {
        for (var outer = type.getEnclosingClass(); outer.isPresent(); outer = outer.get().getEnclosingClass()) {
            if (!outer.get().getModifiers().contains(JavaModifier.PUBLIC)) return false;
        }
        return true;
    }

    private static String kind(JavaClass type) {
        if (type.isRecord()) return "record";
        if (type.isEnum()) return "enum";
        if (type.isInterface()) return "interface";
        return "class";
    }

    /** Accessors, equals/hashCode/toString and the canonical constructor say nothing a record's header does not. */
    private static boolean isRecordMember(JavaClass type, JavaCodeUnit m) {
        if (List.of("equals", "hashCode", "toString").contains(m.getName())) return true;
        if (m.getName().equals("<init>")) return false;
        return m.getRawParameterTypes().isEmpty() && type.getFields().stream().anyMatch(f -> f.getName().equals(m.getName()));
    }

    private static String signature(JavaCodeUnit m) {
        String params = m.getRawParameterTypes().stream().map(JavaClass::getSimpleName).collect(Collectors.joining(", "));
        String name = m.getName().equals("<init>") ? "new" : m.getName();
        String prefix = m.getModifiers().contains(JavaModifier.STATIC) ? "static " : "";
        String returns = m.getName().equals("<init>") ? "" : " : " + m.getRawReturnType().getSimpleName();
        return prefix + name + "(" + params + ")" + returns;
    }
}
