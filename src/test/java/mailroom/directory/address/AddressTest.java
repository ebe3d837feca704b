package mailroom.directory.address;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The address rules, held against the regular expressions they were first written as. */
class AddressTest {
    private static final Pattern ATOM = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+");
    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    private static boolean dotAtomByPattern(String local) {
        if (local.isEmpty() || local.length() > 64) return false;
        for (String atom : local.split("\\.", -1)) {
            if (!ATOM.matcher(atom).matches()) return false;
        }
        return true;
    }

    @Test
    void namedCasesAnswerAsTheExpressionsDid() {
        List<String> domains = List.of("example.com", "a.bc", "a.b", "a.b1", "a.1b", "x-y.example", "-x.example", "x-.example",
                "example.", ".example", "example..com", "example", "a.b-c", "a.b-", "1.2.3.com", "EXAMPLE.com", "ex ample.com",
                "a".repeat(63) + ".com", "a".repeat(64) + ".com", "b." + "a".repeat(63), "b." + "a".repeat(64),
                ("a".repeat(61) + ".").repeat(4) + "com", ("a".repeat(62) + ".").repeat(4) + "com",
                ("a".repeat(63) + ".").repeat(3) + "c".repeat(61), ("a".repeat(63) + ".").repeat(3) + "c".repeat(62), "");
        for (String d : domains) assertEquals(DOMAIN.matcher(d).matches(), Address.isDomain(d), d);
        List<String> locals = List.of("bob", "bob.smith", ".bob", "bob.", "bob..smith", "b+tag", "o'hara", "a\"b", "a b",
                "Bob", "a".repeat(64), "a".repeat(65), "", ".", "a.b.c", "{}|~", "a@b");
        for (String l : locals) assertEquals(dotAtomByPattern(l), Address.isDotAtom(l), l);
    }

    @Test
    void randomStringsAnswerAsTheExpressionsDid() {
        // An alphabet dense in the characters the rules treat specially, so most strings sit near a boundary.
        String alphabet = "ab1z9-..+_~!A \"@\u00e9";
        Random random = new Random(20261202);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = i % 2 == 0 ? noise(random, alphabet, random.nextInt(i % 100 == 0 ? 300 : 12))
                    : nearDomain(random, alphabet);
            boolean domain = DOMAIN.matcher(text).matches();
            if (domain) valid++;
            assertEquals(domain, Address.isDomain(text), text);
            assertEquals(dotAtomByPattern(text), Address.isDotAtom(text), text);
            assertEquals(text.chars().allMatch(c -> c < 0x80), Address.isAscii(text), text);
        }
        // The walk must reach valid domains too, or it would only show that both refuse noise.
        assertEquals(true, valid > 10_000, "valid domains met: " + valid);
    }

    private static String noise(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < length; k++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }

    /** Labels of letters, digits and hyphens joined by dots, a character sometimes changed into anything. */
    private static String nearDomain(Random random, String alphabet) {
        StringBuilder s = new StringBuilder();
        int labels = 1 + random.nextInt(4);
        for (int l = 0; l < labels; l++) {
            if (l > 0) s.append('.');
            int length = random.nextInt(10) == 0 ? 60 + random.nextInt(6) : 1 + random.nextInt(4);
            for (int k = 0; k < length; k++) s.append("abz19-".charAt(random.nextInt(k == 0 ? 4 : 6)));
        }
        if (random.nextInt(3) == 0) s.setCharAt(random.nextInt(s.length()), alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }
}
