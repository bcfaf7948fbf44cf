package dev.paddock.server.status;

import dev.paddock.server.config.EnsembleConfig;
import java.net.InetSocketAddress;

/**
 * Where to ask one member for its state: its client address (the {@code ;clientHost:clientPort} part of its
 * server line, or zoo.cfg's clientPort with the server line's host) and the AdminServer port to fall back on.
 *
 * @param id        the member's id (0 for a standalone server)
 * @param observer  whether its server line makes it an observer
 */
public record MemberTarget(int id, String host, int clientPort, int adminPort, boolean observer) {

    /** The target of one server line; a wildcard client host (0.0.0.0, ::) means the server line's host. */
    public static MemberTarget of(EnsembleConfig.Peer peer, int defaultClientPort, int adminPort) {
        InetSocketAddress client = peer.clientAddress();
        String host = peer.host();
        int port = defaultClientPort;
        if (client != null) {
            port = client.getPort();
            if (!isWildcard(client)) {
                host = client.getHostString();
            }
        }
        return new MemberTarget(peer.id(), host, port, adminPort, peer.observer());
    }

    static boolean isWildcard(InetSocketAddress a) {
        String h = a.getHostString();
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0")
                || a.getAddress() != null && a.getAddress().isAnyLocalAddress();
    }

    /** host:port, an IPv6 literal in brackets. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + clientPort;
    }
}
