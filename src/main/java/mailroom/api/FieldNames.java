package mailroom.api;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailroom.directory.DirectoryException;

/**
 * A door's wire names for the directory's neutral field paths: {@code members[1].user} becomes Feishu's
 * {@code items[1].user_id}. Each segment's name is looked up (unknown names stay as they are), indexes are
 * kept; a message that names its field first names it in wire names too.
 */
public final class FieldNames {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[]+)((?:\\[\\d+])*)");

    private final Map<String, String> wireNames;

    public FieldNames(Map<String, String> wireNames) {
        this.wireNames = Map.copyOf(wireNames);
    }

    /** The wire path of a neutral path; null stays null. */
    public String path(String neutral) {
        if (neutral == null) return null;
        StringBuilder out = new StringBuilder();
        for (String segment : neutral.split("\\.", -1)) {
            if (out.length() > 0) out.append('.');
            Matcher m = SEGMENT.matcher(segment);
            if (m.matches()) {
                out.append(wireNames.getOrDefault(m.group(1), m.group(1))).append(m.group(2));
            } else {
                out.append(segment);
            }
        }
        return out.toString();
    }

    /** The refusal's message, its leading field path (when it has one) in wire names. */
    public String message(DirectoryException e) {
        if (!e.namesFieldFirst()) return e.getMessage();
        return path(e.field()) + e.getMessage().substring(e.field().length());
    }
}
