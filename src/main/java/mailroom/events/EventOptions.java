package mailroom.events;

import java.time.Duration;
import java.util.List;
import mailroom.mta.ClientNetworks;

/**
 * How the journal's readers behave: how long entries are kept, which networks webhooks may be delivered to
 * (any, unless restricted), and the webhook delivery schedule (the specification's, unless a test shortens it).
 *
 * @param journalRetention entries (and webhook deliveries) older than this are pruned
 * @param webhookNetworks the networks a webhook's URL may resolve to; null for any
 * @param retrySchedule the waits before each retry of a failed delivery; after the last one it is failed
 * @param disableAfter a webhook whose deliveries keep failing for this long is disabled
 * @param attemptTimeout how long one delivery attempt may take, connecting included
 */
public record EventOptions(Duration journalRetention, ClientNetworks webhookNetworks, List<Duration> retrySchedule,
                           Duration disableAfter, Duration attemptTimeout) {
    /** admin-api.md §6: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
    public static final List<Duration> STANDARD_SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);

    public static final EventOptions DEFAULT = new EventOptions(DEFAULT_RETENTION, null, STANDARD_SCHEDULE,
            Duration.ofDays(5), Duration.ofSeconds(10));

    public EventOptions {
        if (journalRetention.isNegative() || journalRetention.isZero()) {
            throw new IllegalArgumentException("the journal retention must be positive");
        }
        retrySchedule = List.copyOf(retrySchedule);
    }

    public EventOptions withJournalRetention(Duration retention) {
        return new EventOptions(retention, webhookNetworks, retrySchedule, disableAfter, attemptTimeout);
    }

    public EventOptions withWebhookNetworks(ClientNetworks networks) {
        return new EventOptions(journalRetention, networks, retrySchedule, disableAfter, attemptTimeout);
    }

    public EventOptions withRetrySchedule(List<Duration> schedule) {
        return new EventOptions(journalRetention, webhookNetworks, schedule, disableAfter, attemptTimeout);
    }
}
