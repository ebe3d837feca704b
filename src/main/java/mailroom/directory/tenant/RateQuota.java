package mailroom.directory.tenant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;

/**
 * A request-rate quota as the API platforms document them: one or more windows joined by "&", each "N/s",
 * "N/min" or "N/h" ("1000/min & 50/s"). Lives in the directory because tenants carry overrides of it.
 */
public record RateQuota(List<Window> windows) {
    private static final Pattern WINDOW = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(s|sec|second|min|minute|h|hour)\\s*");

    public record Window(long requests, Duration period) {
        @Override
        public String toString() {
            return requests + "/" + (period.equals(Duration.ofSeconds(1)) ? "s"
                    : period.equals(Duration.ofMinutes(1)) ? "min" : "h");
        }
    }

    public RateQuota {
        windows = List.copyOf(windows);
    }

    /** Parses a quota, or throws INVALID_ARGUMENT naming the text. */
    public static RateQuota parse(String text) {
        if (text == null || text.isBlank()) throw invalid(text);
        List<Window> windows = new ArrayList<>();
        for (String part : text.split("&", -1)) {
            Matcher m = WINDOW.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) throw invalid(text);
            long requests = Long.parseLong(m.group(1));
            if (requests < 1) throw invalid(text);
            Duration period = switch (m.group(2)) {
                case "s", "sec", "second" -> Duration.ofSeconds(1);
                case "min", "minute" -> Duration.ofMinutes(1);
                default -> Duration.ofHours(1);
            };
            windows.add(new Window(requests, period));
        }
        return new RateQuota(windows);
    }

    private static DirectoryException invalid(String text) {
        return new DirectoryException(Reason.INVALID_ARGUMENT,
                "rate limit '" + text + "' is not like \"50/s\", \"20/min\" or \"1000/min & 50/s\"");
    }

    @Override
    public String toString() {
        return String.join(" & ", windows.stream().map(Window::toString).toList());
    }
}
