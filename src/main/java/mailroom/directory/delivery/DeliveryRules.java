package mailroom.directory.delivery;

/**
 * The rules a mail system's look-ups follow: the delimiter that starts an address extension
 * ("+" in bob+news@), null for none, and the most addresses one group expansion may hold.
 */
public record DeliveryRules(String recipientDelimiter, int expansionLimit) {
    public static final DeliveryRules DEFAULTS = new DeliveryRules("+", 1000);

    public DeliveryRules {
        if (recipientDelimiter != null && recipientDelimiter.isEmpty()) recipientDelimiter = null;
        if (expansionLimit < 1) throw new IllegalArgumentException("expansion limit must be at least 1");
    }
}
