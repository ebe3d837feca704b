package mailroom.mta;

import mailroom.directory.delivery.DeliveryRules;

/**
 * How the MTA door runs: where its socketmap and policy listeners listen (null: that listener is off),
 * which client networks they answer, and the look-up rules they pass to the directory.
 */
public record MtaOptions(HostPort socketmap, HostPort policy, ClientNetworks clients, DeliveryRules rules) {
    /** Both listeners off. */
    public static final MtaOptions OFF = new MtaOptions(null, null, ClientNetworks.loopback(), DeliveryRules.DEFAULTS);

    public MtaOptions {
        if (clients == null) clients = ClientNetworks.loopback();
        if (rules == null) rules = DeliveryRules.DEFAULTS;
    }

    public MtaOptions withSocketmap(HostPort address) {
        return new MtaOptions(address, policy, clients, rules);
    }

    public MtaOptions withPolicy(HostPort address) {
        return new MtaOptions(socketmap, address, clients, rules);
    }

    public MtaOptions withClients(ClientNetworks networks) {
        return new MtaOptions(socketmap, policy, networks, rules);
    }

    public MtaOptions withRules(DeliveryRules newRules) {
        return new MtaOptions(socketmap, policy, clients, newRules);
    }
}
