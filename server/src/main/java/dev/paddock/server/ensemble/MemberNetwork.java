package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Message;

/**
 * How a member reaches the others: {@link TransportNetwork} (TCP on the quorum and election ports) in the
 * server, a simulated network with loss, duplication, delay and partitions in the glue simulation, and
 * {@link #NONE} for a one-member ensemble, which has nobody to talk to.
 */
public interface MemberNetwork {
    /** Where arriving messages go; called on any thread (the member hands them to its request thread). */
    interface Receiver {
        void receive(int from, Message message);

        /** The connection from {@code peer} closed: its process may be gone. */
        void peerDisconnected(int peer);
    }

    /** Starts listening; nothing arrives before this. */
    void start(Receiver receiver) throws InterruptedException;

    /** Best effort: a message may be lost, which the protocol tolerates. Request thread. */
    void send(int to, Message message);

    void close();

    /** The members' addresses changed (a reconfiguration applied). */
    default void updatePeers(java.util.Map<Integer, dev.paddock.server.quorum.transport.QuorumTransport.PeerAddress> peers) {
    }

    /** A one-member ensemble's network: it never sends, because it has no peer. */
    MemberNetwork NONE = new MemberNetwork() {
        @Override
        public void start(Receiver receiver) {
        }

        @Override
        public void send(int to, Message message) {
            throw new IllegalStateException("a one-member ensemble has no peer " + to);
        }

        @Override
        public void close() {
        }
    };
}
