package mailroom.directory.delivery;

/**
 * Whether a sender may send to one recipient: the recipient is no mail group (the mail system's own
 * rules decide), or it is group {@code group} with rule {@code rule} (its who-can-send setting) and the
 * sender may, may not, or nobody can because the group expands to nothing or to more than {@code limit}.
 */
public record SendDecision(Verdict verdict, String group, String rule, int limit) {
    /** The outcome, in the order the checks are made. */
    public enum Verdict { NOT_A_GROUP, EMPTY, TOO_LARGE, ALLOWED, NOT_ALLOWED }

    public static final SendDecision NOT_A_GROUP = new SendDecision(Verdict.NOT_A_GROUP, null, null, 0);
}
