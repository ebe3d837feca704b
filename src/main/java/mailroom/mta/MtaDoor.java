package mailroom.mta;

import java.util.ArrayList;
import java.util.List;
import mailroom.directory.delivery.Delivery;
import mailroom.server.Service;

/**
 * The MTA door: Postfix's socketmap and policy listeners over the directory's delivery answers, each
 * built only when its address is configured.
 */
public final class MtaDoor {
    public static final String SOCKETMAP = "socketmap";
    public static final String POLICY = "policy";

    private final Listener socketmap;
    private final Listener policy;

    public MtaDoor(MtaOptions options, Delivery delivery, MtaMetrics metrics) {
        this.socketmap = options.socketmap() == null ? null : new Listener(SOCKETMAP, options.socketmap(), options.clients(), metrics,
                new Socketmap(delivery, options.rules(), metrics));
        this.policy = options.policy() == null ? null : new Listener(POLICY, options.policy(), options.clients(), metrics,
                new Policy(delivery, options.rules(), metrics));
    }

    /** The configured listeners, to start beside the HTTP server. */
    public List<Service> services() {
        List<Service> out = new ArrayList<>();
        if (socketmap != null) out.add(socketmap);
        if (policy != null) out.add(policy);
        return out;
    }

    /** The socketmap listener's bound port (after start). */
    public int socketmapPort() {
        if (socketmap == null) throw new IllegalStateException("no --socketmap listener configured");
        return socketmap.port();
    }

    /** The policy listener's bound port (after start). */
    public int policyPort() {
        if (policy == null) throw new IllegalStateException("no --policy listener configured");
        return policy.port();
    }
}
