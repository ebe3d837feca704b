package mailroom.directory.delivery;

import java.util.List;

/**
 * Where mail to an address that is not itself a mailbox goes: nowhere known, a list of final
 * addresses (an alias's mailbox, a group's expansion, a catch-all's target), or too many to deliver.
 */
public record AliasAnswer(Kind kind, List<String> addresses) {
    /** Which of the three answers this is. */
    public enum Kind { NOT_FOUND, TARGETS, TOO_LARGE }

    public static final AliasAnswer NOT_FOUND = new AliasAnswer(Kind.NOT_FOUND, List.of());
    public static final AliasAnswer TOO_LARGE = new AliasAnswer(Kind.TOO_LARGE, List.of());

    public static AliasAnswer targets(List<String> addresses) {
        return addresses.isEmpty() ? NOT_FOUND : new AliasAnswer(Kind.TARGETS, List.copyOf(addresses));
    }
}
