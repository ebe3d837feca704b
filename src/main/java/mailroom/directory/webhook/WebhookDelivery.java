package mailroom.directory.webhook;

/**
 * One journal entry on its way to one webhook: pending (to be attempted at {@code nextAttemptAt}), succeeded,
 * or failed once its retries ran out. Both its id and its event id (the {@code webhook-id} every attempt
 * carries) follow from the webhook and the entry, so they are the same on every node and after a restart.
 */
public record WebhookDelivery(String id, String webhookId, long seq, String eventType, Status status, int attempts,
                              Integer lastStatusCode, String lastError, Long lastAttemptAt, Long nextAttemptAt,
                              long createdAt) {
    /** Where a delivery stands. */
    public enum Status { PENDING, SUCCEEDED, FAILED }

    /** The id of the delivery of entry {@code seq} to a webhook. */
    public static String idOf(String webhookId, long seq) {
        return "dlv_" + suffix(webhookId) + "_" + seq;
    }

    /** The {@code webhook-id} of every attempt of this delivery. */
    public String eventId() {
        return "msg_" + suffix(webhookId) + "_" + seq;
    }

    private static String suffix(String webhookId) {
        return webhookId.substring(webhookId.indexOf('_') + 1);
    }
}
