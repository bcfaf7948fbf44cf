package dev.paddock.server.ensemble;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.quorum.transport.QuorumTransport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who this server is among whom: its id, the voters and observers, and where the others listen. A
 * standalone server (no {@code server.N} lines) is a one-member ensemble: id {@value #STANDALONE_ID}, no
 * peers and no quorum ports, on the same write path as every member.
 *
 * <p>{@code configText} is what {@code /zookeeper/config} holds on this member (see
 * {@link EnsembleConfig#configText()}): ZooKeeper's text of the membership, or empty for a standalone server,
 * whose config node ZooKeeper leaves empty. {@code ensemble} is the zoo.cfg's ensemble it was made from (with
 * every server's addresses and the config version), null for a standalone server and in simulations.
 */
public record Membership(int myId, Set<Integer> voters, Set<Integer> observers,
                         Map<Integer, QuorumTransport.PeerAddress> peers, InetSocketAddress quorumAddress,
                         InetSocketAddress electionAddress, boolean standalone, String configText,
                         EnsembleConfig ensemble) {
    /** ZooKeeper's standalone server id (its sessions carry it too). */
    public static final int STANDALONE_ID = 0;

    public Membership {
        voters = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        observers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(observers));
        peers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(peers));
        configText = configText == null ? "" : configText;
    }

    public Membership(int myId, Set<Integer> voters, Set<Integer> observers,
                      Map<Integer, QuorumTransport.PeerAddress> peers, InetSocketAddress quorumAddress,
                      InetSocketAddress electionAddress, boolean standalone, String configText) {
        this(myId, voters, observers, peers, quorumAddress, electionAddress, standalone, configText, null);
    }

    /** A membership without a config text (simulations and tests; the config node stays empty). */
    public Membership(int myId, Set<Integer> voters, Set<Integer> observers,
                      Map<Integer, QuorumTransport.PeerAddress> peers, InetSocketAddress quorumAddress,
                      InetSocketAddress electionAddress, boolean standalone) {
        this(myId, voters, observers, peers, quorumAddress, electionAddress, standalone, "");
    }

    public static Membership ofStandalone() {
        return new Membership(STANDALONE_ID, Set.of(STANDALONE_ID), Set.of(), Map.of(), null, null, true);
    }

    public static Membership of(EnsembleConfig ensemble) {
        Map<Integer, QuorumTransport.PeerAddress> peers = new TreeMap<>();
        for (EnsembleConfig.Peer p : ensemble.peers().values()) {
            peers.put(p.id(), new QuorumTransport.PeerAddress(p.quorumAddress(), p.electionAddress()));
        }
        EnsembleConfig.Peer me = ensemble.me();
        return new Membership(ensemble.myId(), ensemble.voters(), ensemble.observers(), peers, me.quorumAddress(),
                me.electionAddress(), false, ensemble.configText(), ensemble);
    }

    /** Whether anyone else takes part (a one-member ensemble needs no network). */
    public boolean hasPeers() {
        return voters.size() + observers.size() > 1;
    }
}
