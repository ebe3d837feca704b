package mailroom.directory.webhook;

import java.util.List;

/**
 * A tenant's receiver of journal entries: where to deliver, which event types, whether it is enabled (and why
 * not, when the server disabled it), its signing secrets, and how far through the journal its deliveries are.
 *
 * @param previousSecret the secret before the last rotation, still signing beside the new one until
 *                       {@code previousUntil}; null when there is none
 * @param failingSince when the first of the deliveries failing since the last success failed; null while healthy
 * @param cursorSeq every journal entry up to this sequence number is decided for this webhook
 */
public record Webhook(String id, String tenantKey, String url, List<String> events, String description, boolean enabled,
                      String disabledReason, Long failingSince, String secret, String previousSecret, Long previousUntil,
                      long cursorSeq, long createdAt, long updatedAt) {
    public Webhook {
        events = List.copyOf(events);
    }

    /** The secrets a delivery made at {@code now} is signed with: the current one, and the previous during its grace. */
    public List<String> signingSecrets(long now) {
        return previousSecret != null && previousUntil != null && now < previousUntil ? List.of(secret, previousSecret)
                : List.of(secret);
    }
}
