package dev.paddock.server.status;

import dev.paddock.server.admin.http.AdminSettings;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.DynamicConfig;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Who to ask (the members a zoo.cfg lists) and asking them all: the report behind the table and the command. */
public final class EnsembleStatus {
    private EnsembleStatus() {
    }

    /**
     * Every member the zoo.cfg lists (its dynamic file's servers when it names one, else its server.N lines);
     * a zoo.cfg without them is one standalone server on its clientPort. The AdminServer port to fall back on
     * is the zoo.cfg's (or the default 8080) unless {@code adminPort} is given (> 0).
     */
    public static List<MemberTarget> targets(ServerConfig config, int adminPort) throws ConfigException {
        int admin = adminPort > 0 ? adminPort : AdminSettings.of(config, System.getProperties()).port();
        InetSocketAddress client = config.clientAddress();
        List<MemberTarget> targets = new ArrayList<>();
        for (EnsembleConfig.Peer peer : EnsembleConfig.listedMembers(config).servers().values()) {
            targets.add(MemberTarget.of(peer, client.getPort(), admin));
        }
        if (targets.isEmpty()) {
            String host = MemberTarget.isWildcard(client) ? "127.0.0.1" : client.getHostString();
            targets.add(new MemberTarget(0, host, client.getPort(), admin, false));
        }
        return targets;
    }

    /**
     * The members a running server asks for the AdminServer's ensemble_status: those of its ensemble, or
     * itself (on the port it bound) when standalone.
     */
    public static List<MemberTarget> targetsOfMember(ServerConfig config, EnsembleConfig ensemble, int clientPort)
            throws ConfigException {
        int admin = AdminSettings.of(config, System.getProperties()).port();
        List<MemberTarget> targets = new ArrayList<>();
        if (ensemble == null) {
            InetSocketAddress client = config.clientAddress();
            String host = MemberTarget.isWildcard(client) ? "127.0.0.1" : client.getHostString();
            targets.add(new MemberTarget(0, host, clientPort, admin, false));
            return targets;
        }
        for (EnsembleConfig.Peer peer : ensemble.peers().values()) {
            targets.add(MemberTarget.of(peer, config.clientAddress().getPort(), admin));
        }
        return targets;
    }

    /**
     * The members of the configuration in force, given as its text (what {@code /zookeeper/config} and conf show,
     * which a reconfig changes), for a running member's ensemble_status; {@code atStart} when the text holds no
     * server (a member without a configuration) or does not parse, which a configuration in force never does.
     */
    public static List<MemberTarget> targetsInForce(ServerConfig config, String configText, List<MemberTarget> atStart) {
        DynamicConfig.Members members;
        try {
            members = DynamicConfig.parse(configText);
        } catch (ConfigException e) {
            return atStart;
        }
        if (members.servers().isEmpty()) {
            return atStart;
        }
        int admin = atStart.isEmpty() ? AdminSettings.DEFAULT_PORT : atStart.get(0).adminPort();
        List<MemberTarget> targets = new ArrayList<>();
        for (EnsembleConfig.Peer peer : members.servers().values()) {
            targets.add(MemberTarget.of(peer, config.clientAddress().getPort(), admin));
        }
        return targets;
    }

    /** Asks every member in turn (each read bounded by the probe's timeout) and judges the answers. */
    public static EnsembleReport collect(List<MemberTarget> targets, MemberProbe probe, long maxLag) {
        List<MemberReport> reports = new ArrayList<>();
        for (MemberTarget t : targets) {
            reports.add(probe.probe(t));
        }
        return EnsembleReport.of(reports, maxLag);
    }
}
