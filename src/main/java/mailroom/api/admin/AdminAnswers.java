package mailroom.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.DirectoryException;
import mailroom.http.Json;
import mailroom.http.Pipeline;

/**
 * How the operator door answers on the pipeline: RFC 9457 problem details ({@code application/problem+json})
 * for its own refusals, for directory refusals (through {@link AdminErrors}), for an oversized body and for an
 * unexpected failure (with the logged id as {@code error_id}); objects as plain JSON.
 */
final class AdminAnswers implements Pipeline.Renderer {
    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

    /** The door's views leave out what is absent themselves; a null they hold is meant ("tenant": null = every tenant). */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

    static Pipeline.Answer json(int status, Object body) {
        try {
            return new Pipeline.Answer(status, "", JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Pipeline.Answer problem(AdminErrors.Problem problem, String detail, List<AdminException.FieldError> errors) {
        return Pipeline.Answer.json(problem.status(), problem.slug(), PROBLEM, problemBody(problem, detail, errors));
    }

    private static Map<String, Object> problemBody(AdminErrors.Problem problem, String detail,
                                                   List<AdminException.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        if (detail != null) body.put("detail", detail);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("field", e.field());
                one.put("message", e.message());
                return one;
            }).toList());
        }
        return body;
    }

    @Override
    public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
        if (e instanceof AdminException ae) {
            if (ae.problem() == AdminErrors.Problem.UNAUTHORIZED) exchange.header("WWW-Authenticate", "Bearer");
            return problem(ae.problem(), ae.getMessage(), ae.errors());
        }
        if (e instanceof DirectoryException de) {
            AdminErrors.Problem problem = AdminErrors.of(de.reason());
            String field = AdminErrors.FIELDS.path(de.field());
            String message = AdminErrors.FIELDS.message(de);
            List<AdminException.FieldError> errors = problem == AdminErrors.Problem.VALIDATION && field != null
                    ? List.of(new AdminException.FieldError(field, message)) : List.of();
            return problem(problem, message, errors);
        }
        return null;
    }

    @Override
    public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
        return problem(AdminErrors.Problem.PAYLOAD_TOO_LARGE, "the body exceeds " + exchange.bodyCap() + " bytes", null);
    }

    @Override
    public Pipeline.Answer failure(Pipeline.Exchange exchange) {
        AdminErrors.Problem internal = AdminErrors.Problem.INTERNAL;
        Map<String, Object> body = problemBody(internal, "an unexpected failure; its id is in the server log", null);
        body.put("error_id", exchange.id());
        return Pipeline.Answer.json(internal.status(), internal.slug(), PROBLEM, body);
    }
}
