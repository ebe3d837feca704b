package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailroom changes [--after N] [--tenant KEY] [--limit N] [--follow]}: the change feed, one journal entry
 * per line as JSON; with {@code --follow} it long-polls until stopped. Where to resume ({@code --after N}) is printed
 * on stderr when it ends, however it ends, and it counts only entries already printed.
 */
@Command(name = "changes", mixinStandardHelpOptions = true,
        description = "Print the change feed, one journal entry per line as JSON; --follow keeps waiting for more.")
public final class ChangesCommand extends OnlineCommand {
    /** How long one poll of --follow waits on the server: well below the server's idle timeout (60 s by default). */
    static final int FOLLOW_WAIT_SECONDS = 30;

    @Option(names = "--after", paramLabel = "N", defaultValue = "0",
            description = "Entries after this sequence number (the next_after printed by an earlier run; default 0, the start).")
    long after;

    @Option(names = "--tenant", paramLabel = "KEY", description = "One tenant's entries only (a scoped token: always its own).")
    String tenant;

    @Option(names = "--limit", paramLabel = "N",
            description = "Entries per request, 1-1000; without --follow, print one page of this many (default: every entry).")
    Integer limit;

    @Option(names = {"-f", "--follow"}, description = "Keep long-polling for new entries until interrupted (Ctrl-C).")
    boolean follow;

    private final Object printing = new Object();
    private volatile long position;
    /** Set once the resume position is printed: nothing is printed after it, so that resuming repeats nothing. */
    private boolean stopped;
    private boolean answered;

    @Override
    int run(AdminClient client, Output out) {
        position = after;
        PrintWriter err = spec.commandLine().getErr();
        // Ctrl-C (or a TERM) ends a follow in the middle of a request: still say where to resume.
        Thread hook = new Thread(() -> resumeAt(err), "mailroom-changes-resume");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int page = limit != null ? limit : 1000;
            while (true) {
                int wait = follow ? FOLLOW_WAIT_SECONDS : 0;
                String query = "?after=" + position + "&limit=" + page + "&wait=" + wait
                        + (tenant != null ? "&tenant=" + AdminClient.segment(tenant) : "");
                JsonNode answer = client.send("GET", "/changes" + query, null, null, Duration.ofSeconds(wait + 60)).json();
                answered = true;
                int items = 0;
                synchronized (printing) {
                    if (stopped) break;
                    for (JsonNode entry : answer.path("items")) {
                        out.out().println(entry.toString());
                        items++;
                        position = entry.path("seq").asLong();
                    }
                    out.out().flush();
                    position = answer.path("next_after").asLong(position);
                }
                if (!follow && (limit != null || items < page)) break;
            }
        } catch (CliFailure f) {
            // A refusal of the first request has nothing to resume; a failure later does.
            if (answered) resumeAt(err);
            throw f;
        } finally {
            removeHook(hook);
        }
        resumeAt(err);
        return 0;
    }

    private void resumeAt(PrintWriter err) {
        synchronized (printing) {
            if (stopped) return;
            stopped = true;
            err.println("mailroom: resume with --after " + position);
            err.flush();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs, or has run
        }
    }
}
