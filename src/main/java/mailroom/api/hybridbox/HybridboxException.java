package mailroom.api.hybridbox;

import java.util.List;
import java.util.Map;

/**
 * A refusal the door itself decides (authentication, capability, request validation), already in the
 * door's wire shape: a status and FastAPI's {@code detail}, a string or a list of validation errors.
 */
final class HybridboxException extends RuntimeException {
    private final int status;
    private final Object detail;

    HybridboxException(int status, Object detail) {
        super(detail.toString(), null, false, false);
        this.status = status;
        this.detail = detail;
    }

    static HybridboxException unauthenticated(String detail) {
        return new HybridboxException(401, detail);
    }

    static HybridboxException forbidden(String detail) {
        return new HybridboxException(403, detail);
    }

    static HybridboxException notFound(String detail) {
        return new HybridboxException(404, detail);
    }

    static HybridboxException invalid(List<Map<String, Object>> errors) {
        return new HybridboxException(422, List.copyOf(errors));
    }

    int status() {
        return status;
    }

    Object detail() {
        return detail;
    }
}
