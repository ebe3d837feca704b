package mailroom.directory.delivery;

import java.util.List;
import java.util.Objects;

/**
 * Where mail to an address that is not itself a mailbox goes: nowhere known, a list of final
 * addresses (an alias's mailbox, a group's expansion, a catch-all's target), or too many to deliver.
 * Immutable, so a kept answer is handed to every caller as it is, with its comma-separated form.
 */
public final class AliasAnswer {
    /** Which of the three answers this is. */
    public enum Kind { NOT_FOUND, TARGETS, TOO_LARGE }

    public static final AliasAnswer NOT_FOUND = new AliasAnswer(Kind.NOT_FOUND, List.of());
    public static final AliasAnswer TOO_LARGE = new AliasAnswer(Kind.TOO_LARGE, List.of());

    private final Kind kind;
    private final List<String> addresses;
    /**
     * The addresses joined when the answer is made: a kept 1000-member expansion is asked for again and again,
     * and joining it for each look-up was most of the look-up's cost.
     */
    private final String commaSeparated;

    private AliasAnswer(Kind kind, List<String> addresses) {
        this.kind = kind;
        this.addresses = addresses;
        this.commaSeparated = String.join(",", addresses);
    }

    public static AliasAnswer targets(List<String> addresses) {
        return addresses.isEmpty() ? NOT_FOUND : new AliasAnswer(Kind.TARGETS, List.copyOf(addresses));
    }

    public Kind kind() {
        return kind;
    }

    public List<String> addresses() {
        return addresses;
    }

    /** The addresses separated by commas, as an MTA's alias table writes them. */
    public String commaSeparated() {
        return commaSeparated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AliasAnswer other && kind == other.kind && addresses.equals(other.addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, addresses);
    }

    @Override
    public String toString() {
        return "AliasAnswer[kind=" + kind + ", addresses=" + addresses + "]";
    }
}
