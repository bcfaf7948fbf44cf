package dev.paddock.server.ensemble;

import dev.paddock.server.config.DynamicConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Host;
import dev.paddock.server.quorum.QuorumConfig;
import dev.paddock.server.quorum.Roster;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;

/**
 * The configuration side of an {@link EnsembleMember}'s {@code Host}: the configuration in force
 * ({@link ConfigInForce}), what a reconfig entry decides ({@link Reconfigurations}), and the answers the
 * quorum member asks about them. Request thread only.
 */
final class MemberConfiguration {
    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final ConfigInForce inForce;
    private final Reconfigurations reconfigurations;

    MemberConfiguration(Membership membership, ServerConfig config, StateMachine stateMachine, MemberNetwork network,
                        Clock clock) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.inForce = new ConfigInForce(membership, config, stateMachine, network, clock);
        this.reconfigurations = new Reconfigurations(membership.ensemble() == null
                || membership.ensemble().standaloneEnabled());
    }

    /** The quorum's configuration to start with: the one in force when there is one, else the static one. */
    QuorumConfig startingQuorum(QuorumConfig fromMembership) {
        return inForce.present() ? fromMembership.withMembers(inForce.roster()) : fromMembership;
    }

    long version() {
        return inForce.version();
    }

    /** The configuration text in force (conf's membership); any thread. */
    String publishedText() {
        return inForce.publishedText();
    }

    /**
     * After the state machine was opened or replaced by a leader's snapshot: adopts the configuration it
     * holds and writes this member's own into /zookeeper/config.
     */
    void adoptConfigInState() {
        inForce.adoptConfigInState();
        inForce.putLocalConfig();
    }

    /** After a restored snapshot replaced the state: writes this member's own configuration into /zookeeper/config. */
    void putLocalConfig() {
        inForce.putLocalConfig();
    }

    /** After an entry applied: a reconfig that succeeded puts its members in force. */
    void applied(Entry entry, OpCode op, ApplyResult result) {
        if (op == OpCode.RECONFIG && result.error() == ErrorCode.OK && inForce.present()) {
            inForce.applied(Reconfigurations.membersOf(entry));
        }
    }

    /** {@link Host#rosterOf}. */
    Roster rosterOf(Entry entry) {
        if (!Reconfigurations.isReconfig(entry.payload())) {
            return null;
        }
        DynamicConfig.Members members = Reconfigurations.membersOf(entry);
        return members == null ? null : Reconfigurations.roster(members);
    }

    Roster rosterInState() {
        return inForce.roster();
    }

    byte[] configText() {
        return inForce.text();
    }

    Roster adoptConfig(long version, byte[] text) {
        return inForce.adopt(version, text);
    }

    boolean versionsConfigs() {
        return config.reconfigEnabled() && inForce.present();
    }

    void configVersioned(long version) {
        inForce.versioned(version);
    }

    /** {@link Host#prepare}: a reconfig entry gets the leader's decision; any other stays as it is. */
    byte[] prepare(long zxid, byte[] payload, Host.LeaderView view) {
        if (!Reconfigurations.isReconfig(payload)) {
            return payload;
        }
        return reconfigurations.prepare(zxid, payload, view, inForce.current(), stateMachine);
    }

    /** Whether this member can change its configuration (a standalone server cannot, as in ZooKeeper). */
    boolean reconfigurable() {
        return inForce.present();
    }
}
