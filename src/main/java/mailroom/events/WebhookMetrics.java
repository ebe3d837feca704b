package mailroom.events;

/** What the webhook dispatcher reports to the operator's metrics. */
public interface WebhookMetrics {
    /** Does not count anything: for tests and tools without a registry. */
    WebhookMetrics NONE = (outcome, nanos) -> { };

    /**
     * One delivery attempt ended: {@code succeeded}, {@code retrying} (it failed and will be tried again) or
     * {@code failed} (it failed and its retries ran out).
     */
    void attempted(String outcome, long nanos);
}
