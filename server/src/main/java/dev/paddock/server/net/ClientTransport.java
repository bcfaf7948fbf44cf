package dev.paddock.server.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport the client port runs on: the native epoll one where its library loads (Linux
 * x86-64: a reply costs fewer system calls, no selected-key set and no JDK selector wake-up pipe), NIO
 * everywhere else. {@code -Dpaddock.clientTransport=nio} forces NIO, to compare the two.
 */
enum ClientTransport {
    EPOLL, NIO;

    private static final Logger LOG = LoggerFactory.getLogger(ClientTransport.class);
    static final String PROPERTY = "paddock.clientTransport";

    /** The transport this process uses: chosen once, logged once. */
    static ClientTransport chosen() {
        return Chosen.VALUE;
    }

    static ClientTransport choose(String requested, boolean epollAvailable) {
        if ("nio".equalsIgnoreCase(requested) || !epollAvailable) {
            return NIO;
        }
        return EPOLL;
    }

    EventLoopGroup group(int threads, ThreadFactory factory) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static final class Chosen {
        static final ClientTransport VALUE = pick();

        private static ClientTransport pick() {
            String requested = System.getProperty(PROPERTY, "");
            boolean available = !"nio".equalsIgnoreCase(requested) && Epoll.isAvailable();
            ClientTransport t = choose(requested, available);
            if (t == NIO && !"nio".equalsIgnoreCase(requested)) {
                LOG.info("Client port on NIO: the native epoll transport is unavailable ({})",
                        String.valueOf(Epoll.unavailabilityCause()));
            } else {
                LOG.info("Client port on the {} transport", t == EPOLL ? "native epoll" : "NIO");
            }
            return t;
        }
    }
}
