package mailroom.server;

/**
 * A part of the server that is not an HTTP door (e.g. a mail system listener): started after the HTTP
 * server is up, stopped before it goes down, in reverse order of starting.
 */
public interface Service {
    /** For logs: what failed to start or stop. */
    String name();

    void start();

    void stop();
}
