package dev.paddock.server.quorum.transport;

import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.MessageCodec;
import dev.paddock.server.quorum.QuorumConfig;
import dev.paddock.wire.jute.MarshallingException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Message}s between members over TCP: election notifications to a peer's election port,
 * leader-learner traffic to its quorum port, as ZooKeeper's two ports do. Every connection starts with the
 * sender's id; frames are length-prefixed and bounded. Delivery is best effort: a message to a peer that
 * cannot be reached is dropped, which the protocol tolerates (notifications repeat; links detect gaps).
 *
 * <p>A server that this member's config does not list may connect too (ZooKeeper's leaders accept such
 * observers; moving an ensemble by observers depends on it). Having no address for it, this member answers it
 * over the connection it opened, and it reads those answers on its outgoing connection. What such a server
 * may do is the protocol's business: a leader takes it as an observer only, and election never counts it.
 *
 * <p>This class frames messages and manages connections; securing them is apart: {@link TransportTls} puts
 * TLS under the framing, {@link AcceptorHandshake} and {@link DialerHandshake} run the hello and quorum SASL
 * before the first message.
 */
public final class QuorumTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumTransport.class);
    /**
     * The largest log entry the default bound allows for: ZooKeeper's jute.maxbuffer default rounded up, or
     * the jute.maxbuffer system property if larger. Members should pass their configured jute.maxbuffer.
     */
    private static final int DEFAULT_MAX_ENTRY_BYTES = Math.max(1024 * 1024, Integer.getInteger("jute.maxbuffer", 0));
    /** Room for a message's own fields and an entry's framing around the payload. */
    private static final int HEADROOM_BYTES = 64 * 1024;
    /** Messages waiting for a connection to a peer; beyond this they are dropped. */
    private static final int MAX_PENDING = 10_000;
    private static final long RECONNECT_BACKOFF_MS = 200;
    /** Connections kept from servers this member's config does not list; more are closed. */
    private static final int MAX_UNLISTED = 256;

    /** Where a peer listens. */
    public record PeerAddress(InetSocketAddress quorum, InetSocketAddress election) {
    }

    private final int myId;
    /** Replaced whole when a reconfiguration adds or moves members; read by any thread. */
    private volatile Map<Integer, PeerAddress> peers;
    private final BiConsumer<Integer, Message> receiver;
    private final LongSupplier monotonicMs;
    private final int maxFrameBytes;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<String, Outbound> outbound = new ConcurrentHashMap<>();
    /** The latest connection from each unlisted server, per port kind ("4e", "4q"): where its answers go. */
    private final Map<String, Channel> unlisted = new ConcurrentHashMap<>();
    private final TransportSecurity security;
    private final ThrottledWarnings warnings;
    private final TransportTls tls;
    /** The start of every connection this member opens. */
    private final DialerHandshake dialing;
    private volatile boolean closed;
    private volatile java.util.function.IntConsumer onPeerDisconnected = peer -> { };

    /** Called on a network thread when a connection from a peer closes (its process may be gone). */
    public void onPeerDisconnected(java.util.function.IntConsumer callback) {
        this.onPeerDisconnected = callback;
    }

    /**
     * The largest quorum message for entries of up to {@code maxEntryBytes}: a snapshot chunk, a sync batch
     * (about {@link QuorumConfig#DEFAULT_SYNC_BATCH_BYTES} plus one more entry) or one proposal, with headroom.
     * Snapshots travel in chunks, so nothing else grows with the data.
     */
    public static int maxFrameBytes(int maxEntryBytes) {
        long bound = (long) Math.max(QuorumConfig.DEFAULT_SNAPSHOT_CHUNK_BYTES, QuorumConfig.DEFAULT_SYNC_BATCH_BYTES)
                + maxEntryBytes + HEADROOM_BYTES;
        return (int) Math.min(Integer.MAX_VALUE - 8, bound);
    }

    /** The bound for entries of up to 1 MiB (or the jute.maxbuffer system property, if larger). */
    public static int defaultMaxFrameBytes() {
        return maxFrameBytes(DEFAULT_MAX_ENTRY_BYTES);
    }

    /**
     * @param receiver called on a network thread with (sender id, message); it must hand off quickly
     */
    public QuorumTransport(int myId, Map<Integer, PeerAddress> peers, BiConsumer<Integer, Message> receiver,
                           LongSupplier monotonicMs) {
        this(myId, peers, receiver, monotonicMs, defaultMaxFrameBytes());
    }

    /**
     * @param receiver called on a network thread with (sender id, message); it must hand off quickly
     * @param maxFrameBytes the largest message accepted; see {@link #maxFrameBytes(int)}
     */
    public QuorumTransport(int myId, Map<Integer, PeerAddress> peers, BiConsumer<Integer, Message> receiver,
                           LongSupplier monotonicMs, int maxFrameBytes) {
        this(myId, peers, receiver, monotonicMs, maxFrameBytes, TransportSecurity.PLAINTEXT);
    }

    /**
     * @param security TLS on this member's ports and connections, and quorum SASL
     */
    public QuorumTransport(int myId, Map<Integer, PeerAddress> peers, BiConsumer<Integer, Message> receiver,
                           LongSupplier monotonicMs, int maxFrameBytes, TransportSecurity security) {
        this.security = security;
        this.warnings = new ThrottledWarnings(LOG, monotonicMs);
        this.tls = new TransportTls(security, warnings);
        this.dialing = new DialerHandshake(myId, security.sasl(), warnings);
        this.myId = myId;
        this.peers = Map.copyOf(peers);
        this.receiver = receiver;
        this.monotonicMs = monotonicMs;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The members' addresses after a reconfiguration. Open connections stay: a removed member is simply no
     * longer dialled, and one that joined is dialled from now on (until now it could only be answered over
     * the connection it opened, as an unlisted server).
     */
    public void updatePeers(Map<Integer, PeerAddress> next) {
        this.peers = Map.copyOf(next);
    }

    /** Starts listening on this member's quorum and election ports. */
    public void start(InetSocketAddress quorumAddress, InetSocketAddress electionAddress) throws InterruptedException {
        listeners.add(listen(quorumAddress, false));
        if (!electionAddress.equals(quorumAddress)) {
            listeners.add(listen(electionAddress, true));
        }
    }

    public void send(int to, Message message) {
        if (closed) {
            return;
        }
        PeerAddress address = peers.get(to);
        boolean election = message instanceof Message.Notification;
        String key = to + (election ? "e" : "q");
        Channel back = address == null ? unlisted.get(key) : null;
        if (address == null && (back == null || !back.isActive())) {
            return;
        }
        byte[] bytes = MessageCodec.encode(message);
        if (bytes.length > maxFrameBytes) {
            // The peer would close the connection on it; dropping it here breaks the link the same way.
            LOG.error("not sending a {}-byte quorum message to server {}: the bound is {} bytes", bytes.length, to,
                    maxFrameBytes);
            return;
        }
        if (back != null) {
            back.writeAndFlush(Unpooled.wrappedBuffer(bytes), back.voidPromise());
            return;
        }
        outbound.computeIfAbsent(key, k -> new Outbound(to, election ? address.election() : address.quorum()))
                .send(bytes);
    }

    private Channel listen(InetSocketAddress address, boolean election) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        tls.secureAccepted(ch);
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4));
                        ch.pipeline().addLast(new LengthFieldPrepender(4)); // answers to an unlisted server
                        ch.pipeline().addLast(new Inbound(election));
                    }
                });
        return b.bind(address).sync().channel();
    }

    /**
     * One connection to this member's ports: after its handshake ({@link AcceptorHandshake}: the sender's id,
     * quorum SASL), hands each message to the receiver.
     */
    private final class Inbound extends SimpleChannelInboundHandler<ByteBuf> {
        private final boolean election;
        private final AcceptorHandshake handshake = new AcceptorHandshake(myId, security.sasl(), warnings,
                this::accept);
        private boolean open;

        Inbound(boolean election) {
            this.election = election;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (handshake.inProgress()) {
                handshake.read(ctx, frame);
                return;
            }
            if (!open) {
                return; // the connection is being closed
            }
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            Message m;
            try {
                m = MessageCodec.decode(bytes);
            } catch (MarshallingException e) {
                LOG.warn("closing quorum connection from server {}: {}", handshake.sender(), e.getMessage());
                ctx.close();
                return;
            }
            receiver.accept(handshake.sender(), m);
        }

        /** The connection is open for messages: an unlisted sender is recorded so that it can be answered. */
        private void accept(ChannelHandlerContext ctx) {
            int sender = handshake.sender();
            if (!peers.containsKey(sender)) {
                String key = sender + (election ? "e" : "q");
                if (unlisted.size() >= MAX_UNLISTED && !unlisted.containsKey(key)) {
                    LOG.warn("closing quorum connection from {}: {} unlisted servers connected already",
                            ctx.channel().remoteAddress(), MAX_UNLISTED);
                    ctx.close();
                    return;
                }
                LOG.info("quorum connection from {}: server {} is not in this member's config",
                        ctx.channel().remoteAddress(), sender);
                unlisted.put(key, ctx.channel());
            }
            open = true;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            tls.acceptedEvent(ctx, evt);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.dispose();
            int sender = handshake.sender();
            if (sender >= 0) {
                unlisted.remove(sender + (election ? "e" : "q"), ctx.channel());
            }
            if (sender >= 0 && open && !closed) {
                onPeerDisconnected.accept(sender);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!tls.refusedPlaintext(ctx, cause)) {
                LOG.debug("quorum connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    /** One outgoing connection, opened on demand; sends queue (bounded) while it connects. */
    private final class Outbound {
        private final int peer;
        private final InetSocketAddress address;
        private final List<byte[]> pending = new ArrayList<>();
        private Channel channel;
        private boolean connecting;
        private long lastAttemptMs = Long.MIN_VALUE / 2;

        Outbound(int peer, InetSocketAddress address) {
            this.peer = peer;
            this.address = address;
        }

        synchronized void send(byte[] bytes) {
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
                return;
            }
            if (pending.size() < MAX_PENDING) {
                pending.add(bytes);
            }
            connect();
        }

        private void connect() {
            long now = monotonicMs.getAsLong();
            if (connecting || closed || now - lastAttemptMs < RECONNECT_BACKOFF_MS) {
                return;
            }
            connecting = true;
            lastAttemptMs = now;
            ChannelFuture f = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            tls.secureDialed(ch, address);
                            ch.pipeline().addLast(new LengthFieldPrepender(4));
                            // A member whose config does not list this server answers on this connection.
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4));
                            ch.pipeline().addLast(new Answers(peer));
                        }
                    })
                    .connect(address);
            f.addListener(done -> connected(f.channel(), done.isSuccess()));
        }

        private synchronized void connected(Channel ch, boolean ok) {
            if (!ok) {
                connecting = false;
                pending.clear();
                return;
            }
            ch.closeFuture().addListener(done -> closedBeforeReady(ch));
            tls.watchDialed(ch, peer, address);
            dialing.begin(ch, peer, ch.pipeline().context(Answers.class).name(), hello -> ready(ch, hello));
        }

        /** The connection carries messages from now on: the hello (unless sent already), then what waited. */
        private synchronized void ready(Channel ch, ByteBuf hello) {
            connecting = false;
            channel = ch;
            if (hello != null) {
                ch.write(hello, ch.voidPromise());
            }
            for (byte[] bytes : pending) {
                ch.write(Unpooled.wrappedBuffer(bytes), ch.voidPromise());
            }
            pending.clear();
            ch.flush();
        }

        private synchronized void closedBeforeReady(Channel ch) {
            if (channel != ch && connecting) {
                connecting = false;
                pending.clear();
            }
        }
    }

    /** Messages a member sends back on a connection this server opened (it does not list this server). */
    private final class Answers extends SimpleChannelInboundHandler<ByteBuf> {
        private final int peer;
        private boolean answered;

        Answers(int peer) {
            this.peer = peer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            answered = true;
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            try {
                receiver.accept(peer, MessageCodec.decode(bytes));
            } catch (MarshallingException e) {
                LOG.warn("closing quorum connection to server {}: {}", peer, e.getMessage());
                ctx.close();
            }
        }

        /**
         * A member that answers here has no connection of its own to this server, so this one closing is how
         * this server learns that it went away (a listed peer never answers here: nothing changes for it).
         */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (answered && !closed) {
                onPeerDisconnected.accept(peer);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("quorum connection to server {} failed: {}", peer, cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
