package mailroom.api.feishu;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.api.FieldNames;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.tenant.RateQuota;
import mailroom.http.Pipeline;

/**
 * How the Feishu door answers on the pipeline: the JSON content type, and the error envelope
 * ({@code code}, {@code msg}, {@code error.log_id} …) for refusals, oversized bodies and failures, with
 * codes from {@link FeishuErrors} and the route's own overrides.
 */
final class FeishuAnswers implements Pipeline.Renderer {
    static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** Every Feishu answer names its log id in this header (and failures also in the body). */
    static final String LOG_ID_HEADER = "X-Tt-Logid";

    private final Map<Reason, FeishuError> overrides;
    private final Map<String, FeishuError> fieldOverrides;
    private final FieldNames fields;
    /** The route's first documented rate window: what a sandbox 429 names in its rate-limit headers. */
    private final RateQuota.Window rate;

    FeishuAnswers(Map<Reason, FeishuError> overrides, Map<String, FeishuError> fieldOverrides, FieldNames fields) {
        this(overrides, fieldOverrides, fields, RateLimits.SPECIAL.windows().get(0));
    }

    FeishuAnswers(Map<Reason, FeishuError> overrides, Map<String, FeishuError> fieldOverrides, FieldNames fields,
                  RateQuota.Window rate) {
        this.overrides = overrides;
        this.fieldOverrides = fieldOverrides;
        this.fields = fields;
        this.rate = rate;
    }

    /** The route's error for a refusal: about its field if the route names one, else by reason. */
    private FeishuError errorOf(DirectoryException de) {
        if (de.field() != null) {
            String first = de.field().split("[.\\[]", 2)[0];
            FeishuError byField = fieldOverrides.get(de.reason().name() + " " + first);
            if (byField != null) return byField;
        }
        return FeishuErrors.of(de.reason(), overrides);
    }

    static Pipeline.Answer json(int status, String code, Object body) {
        return Pipeline.Answer.json(status, code, CONTENT_TYPE, body);
    }

    @Override
    public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
        if (e instanceof DirectoryException de) {
            Map<String, Object> details = new LinkedHashMap<>();
            String message = fields.message(de);
            details.put("message", message);
            if (de.field() != null) {
                details.put("field_violations", List.of(FeishuException.violation(fields.path(de.field()), message)));
            }
            return error(exchange, errorOf(de), details);
        }
        if (e instanceof FeishuException fe) return error(exchange, fe.error(), fe.errorDetails());
        return null;
    }

    @Override
    public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
        FeishuException fe = FeishuException.fieldViolation("body",
                "request body exceeds " + mailroom.http.RequestBodies.MAX_BYTES + " bytes");
        return error(exchange, fe.error(), fe.errorDetails());
    }

    @Override
    public Pipeline.Answer failure(Pipeline.Exchange exchange) {
        return error(exchange, FeishuErrors.INTERNAL, Map.of("message", "unexpected server error, log_id " + exchange.id()));
    }

    /** A sandbox fault: the error envelope of the code, and for a 429 the headers the rate limiter sends. */
    @Override
    public Pipeline.Answer fault(Pipeline.Exchange exchange, int status, Integer code) {
        if (status == 429) {
            exchange.header("x-ogw-ratelimit-limit", Long.toString(rate.requests()));
            exchange.header("x-ogw-ratelimit-reset", Long.toString(Math.max(1, rate.period().toSeconds())));
        }
        return error(exchange, FeishuErrors.forFault(status, code), Map.of());
    }

    static Pipeline.Answer error(Pipeline.Exchange exchange, FeishuError error, Map<String, Object> details) {
        Map<String, Object> errorObject = new LinkedHashMap<>();
        errorObject.put("log_id", exchange.id());
        errorObject.putAll(details);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", error.code());
        envelope.put("msg", error.msg());
        envelope.put("error", errorObject);
        return json(error.httpStatus(), Integer.toString(error.code()), envelope);
    }

    /** The token endpoints: whatever keeps the credentials from being read is "invalid param" at HTTP 200. */
    static final class Token implements Pipeline.Renderer {
        static Pipeline.Answer invalidParam() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", 10003);
            body.put("data", Map.of());
            body.put("msg", "invalid param");
            return json(200, "10003", body);
        }

        @Override
        public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
            return e instanceof IOException ? invalidParam() : null;
        }

        @Override
        public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
            return invalidParam();
        }

        @Override
        public Pipeline.Answer failure(Pipeline.Exchange exchange) {
            return error(exchange, FeishuErrors.INTERNAL, Map.of("message", "unexpected server error, log_id " + exchange.id()));
        }

        @Override
        public Pipeline.Answer fault(Pipeline.Exchange exchange, int status, Integer code) {
            return new FeishuAnswers(Map.of(), Map.of(), FeishuErrors.FIELDS).fault(exchange, status, code);
        }
    }
}
