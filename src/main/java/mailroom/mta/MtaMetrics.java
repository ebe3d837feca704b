package mailroom.mta;

import java.util.function.IntSupplier;

/**
 * What the MTA listeners report, so this door stays free of any metrics library. Every label is from a
 * small fixed set (map names, results, verdicts, reasons, listener names), never an address.
 */
public interface MtaMetrics {
    /** Records nothing. */
    MtaMetrics NONE = new MtaMetrics() {
        @Override
        public void lookup(String map, String result, long startedNanos) {}

        @Override
        public void decision(String verdict, String reason) {}

        @Override
        public void refusedClient(String listener) {}

        @Override
        public void connections(String listener, IntSupplier open) {}
    };

    /**
     * One socketmap request answered: {@code map} is domain, mailbox, alias, senders, or "invalid" for a
     * frame or map name that could not be served; {@code result} is ok, notfound, temp or perm.
     */
    void lookup(String map, String result, long startedNanos);

    /** One policy answer: verdict allowed, refused, dunno or tempfail, and why. */
    void decision(String verdict, String reason);

    /** A client outside --mta-clients, disconnected at once. */
    void refusedClient(String listener);

    /** The listener's open connections, read at every scrape. */
    void connections(String listener, IntSupplier open);
}
