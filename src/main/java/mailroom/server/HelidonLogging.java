package mailroom.server;

import io.helidon.logging.common.spi.LoggingProvider;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Helidon's logging hook, found through the service loader: it routes java.util.logging (which Helidon logs
 * through) to SLF4J/Logback, and its presence keeps Helidon from printing that it found no logging implementation.
 */
public final class HelidonLogging implements LoggingProvider {
    /** Idempotent: the server also calls it, for embedders that never go through Helidon's hook. */
    public static void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    @Override
    public void initialization() {
        install();
    }

    @Override
    public void runTime() {
        install();
    }
}
