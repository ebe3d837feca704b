package mailroom.directory;

import java.util.Objects;

/**
 * Who asks the directory for something: the tenant whose data it is, the kind and id of the actor
 * (an API app, a service account, an operator, the seed) and the request it came with. Each door
 * builds it from its own credentials; every write is journalled under it.
 */
public record Caller(String tenantKey, ActorKind actorKind, String actorId, String requestId) {
    /** The kinds of actor that change the directory; each door renders them in its own words. */
    public enum ActorKind { APP, SERVICE_ACCOUNT, OPERATOR, SEED }

    public Caller {
        Objects.requireNonNull(tenantKey, "tenantKey");
        Objects.requireNonNull(actorKind, "actorKind");
    }

    /** The seed file provisioning a tenant at start-up. */
    public static Caller seed(String tenantKey) {
        return new Caller(tenantKey, ActorKind.SEED, "seed", null);
    }
}
