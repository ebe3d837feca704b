package mailroom.server;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import mailroom.http.Door;
import mailroom.http.Pipeline;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;

/**
 * The server's own routes: the health check, the Prometheus scrape, the OpenAPI document of each door that
 * has one ({@link OpenApiDocuments}), and the platform's plain-text 404 for every path no door claims.
 * Counted under the metrics door label "other", as before doors had names.
 */
final class OpsDoor implements Door {
    private static final String JSON = "application/json";

    /** The body of GET /healthz, in this field order; {@code mode} only in sandbox mode ("sandbox"). */
    record Health(String status, String store, String mode) {}

    /** Failures here are the server's, not a door's: JSON with the logged id, like the early refusals. */
    private static final Pipeline.Renderer ANSWERS = new Pipeline.Renderer() {
        @Override
        public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
            return null;
        }

        @Override
        public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
            return Pipeline.Answer.json(413, "", JSON, Map.of("detail", "Request body too large"));
        }

        @Override
        public Pipeline.Answer failure(Pipeline.Exchange exchange) {
            return Pipeline.Answer.json(500, "", JSON, Map.of("detail", "Internal Server Error", "error_id", exchange.id()));
        }
    };

    private final Pipeline pipeline;
    private final String storeKind;
    private final Supplier<String> scrape;
    private final OpenApiDocuments documents;
    private final String mode;

    /** @param documents the OpenAPI documents to serve (read when first asked for, once the doors exist) */
    OpsDoor(String storeKind, Supplier<String> scrape, RequestMetrics metrics, OpenApiDocuments documents) {
        this(storeKind, scrape, metrics, documents, null);
    }

    /** @param mode what /healthz says of the mode: "sandbox", or null for the normal mode (then it says nothing) */
    OpsDoor(String storeKind, Supplier<String> scrape, RequestMetrics metrics, OpenApiDocuments documents, String mode) {
        this.mode = mode;
        this.pipeline = new Pipeline("other", null, metrics);
        this.storeKind = storeKind;
        this.scrape = scrape;
        this.documents = documents;
    }

    @Override
    public String name() {
        return "ops";
    }

    @Override
    public List<RouteSpec> routes() {
        List<RouteSpec> out = new ArrayList<>(List.of(new RouteSpec(name(), "GET", "/healthz", RouteSpec.NONE, RouteSpec.NONE),
                new RouteSpec(name(), "GET", "/metrics", RouteSpec.NONE, RouteSpec.NONE)));
        for (String path : documents.all().keySet()) out.add(new RouteSpec(name(), "GET", path, RouteSpec.NONE, RouteSpec.NONE));
        return out;
    }

    @Override
    public void register(HttpRouting.Builder http) {
        http.get("/healthz", pipeline.bodiless("GET /healthz", ANSWERS,
                (exchange, none) -> Pipeline.Answer.json(200, "", JSON, new Health("ok", storeKind, mode))));
        http.get("/metrics", pipeline.bodiless("GET /metrics", ANSWERS,
                (exchange, none) -> Pipeline.Answer.text(200, Metrics.CONTENT_TYPE, scrape.get())));
        documents.all().forEach((path, bytes) -> http.get(path, pipeline.bodiless("GET " + path, ANSWERS,
                (exchange, none) -> new Pipeline.Answer(200, "", JSON, bytes))));
    }

    /** Like the real platform: unknown paths are a plain-text 404, one metrics series whatever the path. */
    Handler unmatched() {
        return pipeline.bodiless(RequestMetrics.UNMATCHED, ANSWERS,
                (exchange, none) -> Pipeline.Answer.text(404, "text/plain; charset=utf-8", "404 page not found"));
    }
}
