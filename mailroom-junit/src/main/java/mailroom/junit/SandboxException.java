package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A sandbox control that the server refused (a non-2xx answer) or could not be reached. The message is the
 * operator door's problem details as text: title, detail and every wrong field.
 */
public final class SandboxException extends RuntimeException {
    private final int status;
    private final transient JsonNode problem;

    SandboxException(String message, int status, JsonNode problem, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problem = problem;
    }

    /** The HTTP status of the refusal (0 when there was no answer). */
    public int status() {
        return status;
    }

    /** The problem details as sent ({@code application/problem+json}), or null when the answer had none. */
    public JsonNode problem() {
        return problem;
    }

    /** "METHOD path: HTTP status title: detail (field: message; ...)" from an answer's problem details. */
    static String describe(String method, String path, int status, JsonNode problem, String rawBody) {
        StringBuilder out = new StringBuilder(method).append(' ').append(path).append(": HTTP ").append(status);
        if (problem == null || !problem.isObject()) {
            if (rawBody != null && !rawBody.isBlank()) out.append(' ').append(rawBody.strip());
            return out.toString();
        }
        if (problem.hasNonNull("title")) out.append(' ').append(problem.get("title").asText());
        if (problem.hasNonNull("detail")) out.append(": ").append(problem.get("detail").asText());
        JsonNode errors = problem.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            out.append(" (");
            for (int i = 0; i < errors.size(); i++) {
                if (i > 0) out.append("; ");
                out.append(errors.get(i).path("field").asText()).append(": ").append(errors.get(i).path("message").asText());
            }
            out.append(')');
        }
        return out.toString();
    }
}
