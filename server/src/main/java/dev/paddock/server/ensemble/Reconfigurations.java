package dev.paddock.server.ensemble;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.DynamicConfig;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Host;
import dev.paddock.server.quorum.Roster;
import dev.paddock.server.storage.EntryPayload;
import dev.paddock.server.tree.ConfigChange;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.ReconfigRequest;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconfigurations as the leader resolves them and as every member reads them from the log. The leader checks a
 * reconfig request in ZooKeeper 3.9.5's order ({@code PrepRequestProcessor}, case reconfig): none pending
 * (ReconfigInProgress), the expected version (BadVersion), the new membership (BadArguments, from either form),
 * at least two voters when standalone is enabled (BadArguments), a synced quorum of the new voters
 * (NewConfigNoQuorum), then WRITE on {@code /zookeeper/config} unless the server runs with {@code zookeeper.skipACL=yes} (NoAuth);
 * the new configuration's version is the zxid of its entry.
 */
final class Reconfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(Reconfigurations.class);

    private final boolean standaloneEnabled;

    Reconfigurations(boolean standaloneEnabled) {
        this.standaloneEnabled = standaloneEnabled;
    }

    static boolean isReconfig(byte[] payload) {
        return EntryPayload.opCode(payload) == OpCode.RECONFIG.code;
    }

    /** The payload to log at {@code zxid} for a client's reconfig: resolved into a configuration or an error. */
    byte[] prepare(long zxid, byte[] payload, Host.LeaderView view, DynamicConfig.Members current,
                   StateMachine state) {
        EntryPayload.Decoded decoded = EntryPayload.decode(zxid, payload);
        Txn txn = decoded.txn();
        ConfigChange asked = (ConfigChange) txn.request();
        ConfigChange resolved = resolve(zxid, asked.asked(), txn, view, current, state);
        return EntryPayload.encode(decoded.origin(), decoded.requestId(),
                new Txn(0, txn.timeMs(), txn.sessionId(), txn.identities(), resolved));
    }

    private ConfigChange resolve(long zxid, ReconfigRequest r, Txn txn, Host.LeaderView view,
                                 DynamicConfig.Members current, StateMachine state) {
        if (view.configPending()) {
            return refused(r, ErrorCode.RECONFIG_IN_PROGRESS);
        }
        if (r.curConfigId() != -1 && r.curConfigId() != current.version()) {
            return refused(r, ErrorCode.BAD_VERSION);
        }
        Map<Integer, EnsembleConfig.Peer> next;
        try {
            next = r.newMembers() != null ? DynamicConfig.parse(r.newMembers()).servers()
                    : DynamicConfig.incremental(current.servers(), r.joiningServers(), r.leavingServers());
        } catch (ConfigException e) {
            LOG.warn("reconfig refused: {}", e.getMessage());
            return refused(r, ErrorCode.BAD_ARGUMENTS);
        }
        Set<Integer> voters = votersOf(next);
        if (voters.size() < (standaloneEnabled ? 2 : 1)) {
            LOG.warn("reconfig refused: the new configuration must include at least {} voters", standaloneEnabled ? 2 : 1);
            return refused(r, ErrorCode.BAD_ARGUMENTS);
        }
        if (!view.syncedQuorumOf(voters)) {
            LOG.warn("reconfig refused: there must be a connected and synced quorum in the new configuration {}",
                    voters);
            return refused(r, ErrorCode.NEW_CONFIG_NO_QUORUM);
        }
        // zookeeper.skipACL=yes, read once at start as ZooKeeper reads it, reaches here as the super identity
        // the server adds to every write (tree.WritePolicy).
        if (!AclChecker.permitted(state.configNodeAcl(), Acl.WRITE, txn.identities())) {
            return refused(r, ErrorCode.NO_AUTH);
        }
        String text = new DynamicConfig.Members(next, zxid).text();
        LOG.info("reconfig at zxid 0x{}: {}", Long.toHexString(zxid), text.replace('\n', ' '));
        return new ConfigChange(r, text, ErrorCode.OK);
    }

    private static ConfigChange refused(ReconfigRequest r, ErrorCode code) {
        return new ConfigChange(r, null, code);
    }

    /** The configuration an entry makes, or null when it makes none (cheap for every other entry). */
    static DynamicConfig.Members membersOf(Entry entry) {
        if (!isReconfig(entry.payload())) {
            return null;
        }
        ConfigChange change = (ConfigChange) EntryPayload.decode(entry.zxid(), entry.payload()).txn().request();
        if (!change.changes()) {
            return null;
        }
        try {
            return new DynamicConfig.Members(DynamicConfig.parse(change.newConfig()).servers(), entry.zxid());
        } catch (ConfigException e) {
            throw new IllegalStateException("entry 0x" + Long.toHexString(entry.zxid())
                    + " holds a configuration that does not parse: " + e.getMessage(), e);
        }
    }

    static Roster roster(DynamicConfig.Members members) {
        Set<Integer> observers = new TreeSet<>();
        for (EnsembleConfig.Peer p : members.servers().values()) {
            if (p.observer()) {
                observers.add(p.id());
            }
        }
        return new Roster(members.version(), votersOf(members.servers()), observers);
    }

    private static Set<Integer> votersOf(Map<Integer, EnsembleConfig.Peer> servers) {
        Set<Integer> voters = new TreeSet<>();
        for (EnsembleConfig.Peer p : servers.values()) {
            if (!p.observer()) {
                voters.add(p.id());
            }
        }
        return voters;
    }
}
