package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.transport.QuorumTransport;
import dev.paddock.server.time.Clock;

/** The server's network: {@link QuorumTransport} on the ports of this member's {@code server.N} line. */
final class TransportNetwork implements MemberNetwork {
    private final Membership membership;
    private final Clock clock;
    private final int maxFrameBytes;
    private final dev.paddock.server.quorum.transport.TransportSecurity security;
    private QuorumTransport transport;
    private volatile java.util.Map<Integer, QuorumTransport.PeerAddress> peers;

    /** @param maxFrameBytes the largest quorum message sent or accepted ({@link QuorumTransport#maxFrameBytes}) */
    TransportNetwork(Membership membership, Clock clock, int maxFrameBytes,
                     dev.paddock.server.quorum.transport.TransportSecurity security) {
        this.security = security;
        this.membership = membership;
        this.clock = clock;
        this.maxFrameBytes = maxFrameBytes;
        this.peers = membership.peers();
    }

    @Override
    public void start(Receiver receiver) throws InterruptedException {
        transport = new QuorumTransport(membership.myId(), peers, receiver::receive, clock::monotonicMs,
                maxFrameBytes, security);
        transport.onPeerDisconnected(receiver::peerDisconnected);
        transport.start(membership.quorumAddress(), membership.electionAddress());
    }

    @Override
    public void send(int to, Message message) {
        transport.send(to, message);
    }

    @Override
    public void updatePeers(java.util.Map<Integer, QuorumTransport.PeerAddress> peers) {
        this.peers = peers;
        if (transport != null) {
            transport.updatePeers(peers);
        }
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }
}
