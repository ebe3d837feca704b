package mailroom.directory.delivery;

import java.util.List;

/** A mail group's expansion: its final deliverable addresses in stable order, and whether it passed the limit. */
public record Expansion(String group, List<String> addresses, boolean tooLarge) {}
