package dev.paddock.server.ensemble;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.DynamicConfig;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.quorum.Roster;
import dev.paddock.server.quorum.transport.QuorumTransport;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's configuration in force, with every server's addresses, and what follows when it changes: the
 * network dials the new members, {@code /zookeeper/config} holds its text, and (with reconfigEnabled, as
 * ZooKeeper) zoo.cfg points at a new {@code zoo.cfg.dynamic.<version>} so a restart starts from it. Absent
 * ({@link #present()} false) for a standalone server and in the glue simulation. Request thread only.
 */
final class ConfigInForce {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigInForce.class);

    private final Membership membership;
    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final MemberNetwork network;
    private final Clock clock;
    private DynamicConfig.Members current;
    /** The text of {@link #current}, for readers on other threads (the conf four-letter word). */
    private volatile String publishedText;
    /** Every server address this member has known (a removed server is still answered). */
    private final Map<Integer, QuorumTransport.PeerAddress> knownAddresses = new TreeMap<>();

    ConfigInForce(Membership membership, ServerConfig config, StateMachine stateMachine, MemberNetwork network,
                  Clock clock) {
        this.membership = membership;
        this.config = config;
        this.stateMachine = stateMachine;
        this.network = network;
        this.clock = clock;
        this.current = membership.ensemble() == null ? null : membership.ensemble().members();
        this.publishedText = current == null ? "" : current.text();
    }

    /** The configuration text in force, readable from any thread; empty when absent. */
    String publishedText() {
        return publishedText;
    }

    boolean present() {
        return current != null;
    }

    /** The configuration in force; null when absent. */
    DynamicConfig.Members current() {
        return current;
    }

    long version() {
        return current == null ? 0 : current.version();
    }

    /** Its members, or null when absent. */
    Roster roster() {
        return current == null ? null : Reconfigurations.roster(current);
    }

    /** Its text as /zookeeper/config holds it, empty when absent. */
    byte[] text() {
        return current == null ? new byte[0] : current.text().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes this member's config text into /zookeeper/config (never logged; see
     * {@link StateMachine#setLocalConfig}): when the state is opened and whenever a leader's snapshot replaces
     * it, as ZooKeeper does at start-up and after every sync. A standalone server's node stays as it is.
     */
    void putLocalConfig() {
        if (current != null) {
            stateMachine.setLocalConfig(text(), current.version(), clock.wallMs());
        } else if (!membership.configText().isEmpty()) {
            stateMachine.setLocalConfig(membership.configText().getBytes(StandardCharsets.UTF_8), 0, clock.wallMs());
        }
    }

    /**
     * Takes the configuration the state holds when it is newer than this member's own: a reconfiguration this
     * member applied before a crash but had not written to its dynamic file yet, or one a leader's snapshot
     * brought. The node keeps it, and the files are written as when it applied.
     */
    void adoptConfigInState() {
        if (current == null) {
            return;
        }
        String held = new String(stateMachine.configNodeData(), StandardCharsets.UTF_8);
        if (held.isEmpty()) {
            return;
        }
        try {
            DynamicConfig.Members members = DynamicConfig.parse(held);
            if (members.version() > current.version()) {
                applied(members);
            }
        } catch (ConfigException e) {
            LOG.warn("/zookeeper/config holds a configuration that does not parse ({}); keeping this member's own",
                    e.getMessage());
        }
    }

    /**
     * A leader's configuration in force (NEWLEADER, or a notification while looking), newer than this member's;
     * returns its members, or null when it is not taken: by a voter joining before its reconfig, or an observer
     * the leader does not list (the migration by observers), which keep their own config, since it names the
     * members they can find a leader among.
     */
    Roster adopt(long version, byte[] leaderText) {
        if (current == null || leaderText.length == 0) {
            return null;
        }
        try {
            DynamicConfig.Members leaders = DynamicConfig.parse(new String(leaderText, StandardCharsets.UTF_8));
            if (!leaders.servers().containsKey(membership.myId())) {
                return null;
            }
            applied(new DynamicConfig.Members(leaders.servers(), version));
        } catch (ConfigException e) {
            throw new IllegalStateException("the leader's configuration does not parse: " + e.getMessage(), e);
        }
        putLocalConfig();
        return roster();
    }

    /** The same members under a new version (a static config's first NEWLEADER zxid, with reconfigEnabled). */
    void versioned(long version) {
        applied(new DynamicConfig.Members(current.servers(), version));
        putLocalConfig();
    }

    /** A configuration is in force from now on (see the class comment). */
    void applied(DynamicConfig.Members members) {
        // Servers a reconfiguration removed keep their addresses: they follow on as non-voting participants, and
        // answers to them (a looking one asks who leads) must still reach them.
        if (current != null) {
            addAddresses(current);
        }
        current = members;
        publishedText = members.text();
        addAddresses(members);
        network.updatePeers(new TreeMap<>(knownAddresses));
        LOG.info("Server {}: configuration 0x{} in force: {}", membership.myId(), Long.toHexString(members.version()),
                members.text().replace('\n', ' '));
        if (config.reconfigEnabled() && config.configFile() != null
                && members.servers().containsKey(membership.myId())) {
            try {
                DynamicConfig.writeFiles(config.configFile(), members);
            } catch (IOException e) {
                // The configuration is in the log and the snapshots: a restart that reads the older file learns
                // it again from the leader. Nothing acknowledged depends on the file.
                LOG.error("cannot write the dynamic configuration file beside {}: {}", config.configFile(),
                        e.toString());
            }
        }
    }

    private void addAddresses(DynamicConfig.Members members) {
        for (EnsembleConfig.Peer p : members.servers().values()) {
            knownAddresses.put(p.id(), new QuorumTransport.PeerAddress(p.quorumAddress(), p.electionAddress()));
        }
    }
}
