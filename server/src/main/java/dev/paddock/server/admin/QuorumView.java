package dev.paddock.server.admin;

import dev.paddock.server.config.EnsembleConfig;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The AdminServer's quorum commands (leader, zabstate, voting_view) as ZooKeeper 3.9.5 answers them. A
 * standalone server answers as ZooKeeper's standalone server does (not a quorum server: leader says "server
 * is not initialized", zabstate is not voting, voting_view is empty). Request thread only.
 */
public final class QuorumView {
    private final IntSupplier leaderId;

    /** @param leaderId the member this one follows or is (-1 while there is none), on the request thread */
    public QuorumView(IntSupplier leaderId) {
        this.leaderId = leaderId;
    }

    Map<String, Object> leader(ServerFacts facts, ServerView server) {
        Map<String, Object> m = new LinkedHashMap<>();
        EnsembleConfig ensemble = facts.ensemble();
        if (ensemble == null) {
            m.put("error", "server is not initialized");
            return m;
        }
        int leader = leaderId.getAsInt();
        EnsembleConfig.Peer peer = ensemble.peers().get(leader);
        m.put("is_leader", "leader".equals(server.mode()));
        m.put("leader_id", (long) leader);
        m.put("leader_ip", peer == null ? "" : peer.host());
        return m;
    }

    /**
     * ZooKeeper's ZabState, lower case: election while looking, synchronization while a leader is being
     * established or a learner syncs (Paddock does not tell discovery apart from it), broadcast once serving.
     */
    Map<String, Object> zabState(ServerFacts facts, ServerView server, long lastZxid) {
        Map<String, Object> m = new LinkedHashMap<>();
        EnsembleConfig ensemble = facts.ensemble();
        if (ensemble == null) {
            m.put("voting", false);
            m.put("zabstate", "");
            return m;
        }
        EnsembleConfig.Peer me = ensemble.me();
        String mode = server.mode();
        m.put("myid", (long) ensemble.myId());
        m.put("is_leader", "leader".equals(mode));
        m.put("quorum_address", address(me.quorumAddress()));
        m.put("election_address", address(me.electionAddress()));
        m.put("client_address", me.clientAddress() == null ? "" : address(me.clientAddress()));
        m.put("voting", !me.observer());
        m.put("last_zxid", "0x" + Long.toHexString(lastZxid));
        m.put("zab_epoch", lastZxid >>> 32);
        m.put("zab_counter", lastZxid & 0xffff_ffffL);
        m.put("zabstate", mode.equals("looking") ? "election" : server.serving() ? "broadcast" : "synchronization");
        return m;
    }

    /** voting_view's current_config: every voter by id with its addresses and learner type. */
    static Map<String, Object> votingView(EnsembleConfig ensemble) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (ensemble == null) {
            return view;
        }
        for (EnsembleConfig.Peer p : ensemble.peers().values()) {
            if (p.observer()) {
                continue; // ZooKeeper's voting view holds the voters only
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("server_addresses", List.of(address(p.quorumAddress())));
            s.put("election_addresses", List.of(address(p.electionAddress())));
            s.put("client_address", p.clientAddress() == null ? "" : address(p.clientAddress()));
            s.put("learner_type", "participant");
            view.put(Integer.toString(p.id()), s);
        }
        return view;
    }

    /** host:port, an IPv6 literal in brackets, as ZooKeeper's delimitedHostString writes it. */
    private static String address(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
