package mailroom.junit;

/** What {@code POST /sandbox/v1/reset} answered: how many tenants the seed put back, and how long it took. */
public record ResetResult(int tenants, long tookMs) {}
