package mailroom.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OpenAPI 3.1 documents of the HTTP doors: {@code openapi/<door>.json} on the classpath (kept in
 * src/main/resources/openapi), served as they are at {@code GET /openapi/<door>.json}. A door has a document
 * when its file exists, so documenting a new door is writing its file. See docs/openapi.md.
 */
final class OpenApiDocuments {
    /** Where the documents are, on the classpath and below the server's root alike. */
    static final String FOLDER = "/openapi/";

    private final Supplier<List<String>> doorNames;
    private volatile Map<String, byte[]> byPath;

    /** @param doorNames the names of the doors, asked once, when a document or the route list is first needed */
    OpenApiDocuments(Supplier<List<String>> doorNames) {
        this.doorNames = doorNames;
    }

    /** The path of a door's document, e.g. {@code /openapi/feishu.json}. */
    static String path(String door) {
        return FOLDER + door + ".json";
    }

    /** Every document by path, in the order of the doors; the bytes are exactly the file's. */
    Map<String, byte[]> all() {
        Map<String, byte[]> documents = byPath;
        if (documents == null) {
            documents = new LinkedHashMap<>();
            for (String door : doorNames.get()) {
                byte[] bytes = read(path(door));
                if (bytes != null) documents.put(path(door), bytes);
            }
            documents = Collections.unmodifiableMap(documents);
            byPath = documents;
        }
        return documents;
    }

    private static byte[] read(String resource) {
        try (InputStream in = OpenApiDocuments.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
