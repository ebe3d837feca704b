package mailroom.api.admin;

import java.util.List;

/** A refusal of the operator door itself (authentication, role, tenant scope, bad input), as a problem type. */
final class AdminException extends RuntimeException {
    /** One wrong field of a validation problem: its path in the request and what was wrong. */
    record FieldError(String field, String message) {}

    private final AdminErrors.Problem problem;
    private final List<FieldError> errors;

    AdminException(AdminErrors.Problem problem, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.problem = problem;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    AdminException(AdminErrors.Problem problem, String detail) {
        this(problem, detail, null);
    }

    static AdminException invalid(String field, String message) {
        return new AdminException(AdminErrors.Problem.VALIDATION, field + ": " + message, List.of(new FieldError(field, message)));
    }

    static AdminException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new AdminException(AdminErrors.Problem.VALIDATION, detail, errors);
    }

    static AdminException notFound(String detail) {
        return new AdminException(AdminErrors.Problem.NOT_FOUND, detail);
    }

    AdminErrors.Problem problem() {
        return problem;
    }

    List<FieldError> errors() {
        return errors;
    }
}
