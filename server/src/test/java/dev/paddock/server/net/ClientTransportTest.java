package dev.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ClientTransportTest {
    @Test
    void epollWhereItLoadsUnlessNioIsAsked() {
        assertEquals(ClientTransport.EPOLL, ClientTransport.choose("", true));
        assertEquals(ClientTransport.EPOLL, ClientTransport.choose("epoll", true));
        assertEquals(ClientTransport.NIO, ClientTransport.choose("nio", true));
        assertEquals(ClientTransport.NIO, ClientTransport.choose("NIO", true));
        assertEquals(ClientTransport.NIO, ClientTransport.choose("", false));
        assertEquals(ClientTransport.NIO, ClientTransport.choose("epoll", false));
    }

    @Test
    void serverChannelMatchesTheTransport() {
        assertEquals(EpollServerSocketChannel.class, ClientTransport.EPOLL.serverChannel());
        assertEquals(NioServerSocketChannel.class, ClientTransport.NIO.serverChannel());
    }

    /** The native library ships for Linux x86-64: there it must load, else the dependency is broken. */
    @Test
    void nativeEpollLoadsOnLinuxX86() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")), "not Linux x86-64");
        assertTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        if (!"nio".equalsIgnoreCase(System.getProperty(ClientTransport.PROPERTY, ""))) {
            assertEquals(ClientTransport.EPOLL, ClientTransport.chosen());
        }
    }
}
