package mailroom.http;

/**
 * What a door's pipeline reports about each request it answered, so doors stay free of any metrics
 * library. Labels must be templates ("POST /open-apis/mail/v1/mailgroups"), never raw paths or addresses.
 */
public interface RequestMetrics {
    /** Records nothing: for doors built only to describe their routes. */
    RequestMetrics NONE = new RequestMetrics() {
        @Override
        public void served(String door, String route, int status, String code, long startedNanos) {}

        @Override
        public void rateLimited(String door, String route) {}
    };

    /** Route label of requests that matched no route, whatever their path. */
    String UNMATCHED = "unmatched";

    /**
     * One answered request. {@code code} is the door's business code (Feishu: "0" on success), or ""
     * for doors that have none; {@code startedNanos} is {@link System#nanoTime()} when it arrived.
     */
    void served(String door, String route, int status, String code, long startedNanos);

    /** One request refused by the rate limiter before its handler ran. */
    void rateLimited(String door, String route);
}
