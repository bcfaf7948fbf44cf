package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.RawClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed input on one connection never hurts another session. Pins (jute.maxbuffer at its
 * default 0xfffff = 1048575):
 * <ul>
 *   <li>closed at once, no reply: a frame length that is negative, larger than jute.maxbuffer
 *       (1048576 already is) or 0; a first frame that is not a ConnectRequest (3 bytes, or a
 *       request header); a second ConnectRequest on a live connection;</li>
 *   <li>a length of exactly jute.maxbuffer is accepted (the server waits for the body);</li>
 *   <li>an unknown opcode gets a reply with Unimplemented (-6) and the same xid, THEN the
 *       connection is closed;</li>
 *   <li>a known opcode with a truncated or nonsensical body (a string length of -5 or 2^31-ish)
 *       gets MarshallingError (-5) and the connection stays usable;</li>
 *   <li>closeSession is answered (0) and the connection closed; a ping (xid -2) is answered with
 *       xid -2, err 0;</li>
 *   <li>a client's request larger than jute.maxbuffer costs that client its connection
 *       (ConnectionLoss) but not its session, which reconnects; nothing is applied.</li>
 * </ul>
 * Throughout, a bystander session with a watch sees no disconnection and keeps working.
 */
public abstract class MalformedFrameScenarios extends CompatTestBase {
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(3);
    private static final Duration STAYS_OPEN = Duration.ofMillis(500);
    private static final int MAX_BUFFER = 0xfffff;

    private Events bystanderEvents;
    private ZooKeeper bystander;
    private long bystanderSession;

    @BeforeEach
    void bystander() throws Exception {
        bystanderEvents = new Events();
        bystander = connect(bystanderEvents);
        bystanderSession = bystander.getSessionId();
        bystander.create(base + "/data", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        bystander.getData(base + "/data", true, null);
    }

    @AfterEach
    void bystanderUnharmed() throws Exception {
        assertThat(bystander.getData(base + "/data", false, null)).isEqualTo("x".getBytes());
        assertThat(bystander.getSessionId()).isEqualTo(bystanderSession);
        assertThat(bystanderEvents.drainStates()).as("bystander connection states").isEmpty();
        connect().setData(base + "/data", "x".getBytes(), -1);
        bystanderEvents.expect(EventType.NodeDataChanged, base + "/data");
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private RawClient session() throws Exception {
        return RawClient.session(server.clientPort(), 30_000);
    }

    @Test
    void badLengthsCloseTheConnection() throws Exception {
        for (int len : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, MAX_BUFFER + 1, 0}) {
            try (RawClient c = session()) {
                c.sendRaw(int32(len));
                assertThat(c.closedByServer(CLOSE_WITHIN)).as("closed after length %d", len).isTrue();
            }
            try (RawClient c = RawClient.open(server.clientPort())) {
                c.sendRaw(int32(len));
                assertThat(c.closedByServer(CLOSE_WITHIN)).as("closed after first length %d", len).isTrue();
            }
        }
    }

    @Test
    void lengthOfExactlyMaxBufferIsAccepted() throws Exception {
        try (RawClient c = session()) {
            c.sendRaw(int32(MAX_BUFFER));
            assertThat(c.closedByServer(STAYS_OPEN)).isFalse();
        }
    }

    @Test
    void garbageFramesCloseTheConnection() throws Exception {
        try (RawClient c = RawClient.open(server.clientPort())) {
            c.sendFrame(new byte[] {1, 2, 3});
            assertThat(c.closedByServer(CLOSE_WITHIN)).as("3-byte first frame").isTrue();
        }
        try (RawClient c = RawClient.open(server.clientPort())) {
            c.send(OpCode.getData, new GetDataRequest(base + "/data", false));
            assertThat(c.closedByServer(CLOSE_WITHIN)).as("request before ConnectRequest").isTrue();
        }
        try (RawClient c = session()) {
            c.sendFrame(new byte[] {1, 2, 3});
            assertThat(c.closedByServer(CLOSE_WITHIN)).as("3-byte frame after connect").isTrue();
        }
    }

    @Test
    void secondConnectRequestClosesTheConnection() throws Exception {
        try (RawClient c = session()) {
            c.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false)));
            assertThat(c.closedByServer(CLOSE_WITHIN)).as("second ConnectRequest").isTrue();
        }
    }

    @Test
    void unknownOpcodeIsUnimplementedThenClosed() throws Exception {
        try (RawClient c = session()) {
            RawClient.Reply r = c.call(999, null);
            assertThat(r.err()).isEqualTo(Code.UNIMPLEMENTED.intValue());
            assertThat(r.header().getXid()).isEqualTo(1);
            assertThat(c.closedByServer(CLOSE_WITHIN)).isTrue();
        }
    }

    @Test
    void badBodyIsMarshallingErrorAndTheConnectionLives() throws Exception {
        try (RawClient c = session()) {
            // getData header (xid 1, type 4) and 2 bytes of a 4-byte string length
            c.sendFrame(new byte[] {0, 0, 0, 1, 0, 0, 0, 4, 0, 0});
            RawClient.Reply r = c.read();
            assertThat(r.header().getXid()).isEqualTo(1);
            assertThat(r.err()).isEqualTo(Code.MARSHALLINGERROR.intValue());
            // getData with a string length of -5
            c.sendFrame(new byte[] {0, 0, 0, 2, 0, 0, 0, 4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfb, 0});
            r = c.read();
            assertThat(r.header().getXid()).isEqualTo(2);
            assertThat(r.err()).isEqualTo(Code.MARSHALLINGERROR.intValue());
            // create (type 1) with a path length of 0x7f000000
            c.sendFrame(new byte[] {0, 0, 0, 3, 0, 0, 0, 1, 0x7f, 0, 0, 0, 0});
            r = c.read();
            assertThat(r.header().getXid()).isEqualTo(3);
            assertThat(r.err()).isEqualTo(Code.MARSHALLINGERROR.intValue());
            // and the connection still serves requests
            c.send(OpCode.getData, new GetDataRequest(base + "/data", false)); // xid 1 again, harmless
            r = c.read();
            assertThat(r.err()).isZero();
            assertThat(r.as(new GetDataResponse()).getData()).isEqualTo("x".getBytes());
        }
    }

    @Test
    void pingAndCloseSession() throws Exception {
        try (RawClient c = session()) {
            c.sendFrame(RawClient.serialize(new RequestHeader(-2, OpCode.ping), null));
            RawClient.Reply pong = c.read();
            assertThat(pong.header().getXid()).isEqualTo(-2);
            assertThat(pong.err()).isZero();
            assertThat(pong.header().getZxid()).isPositive();
            RawClient.Reply closed = c.call(OpCode.closeSession, null);
            assertThat(closed.err()).isZero();
            assertThat(c.closedByServer(CLOSE_WITHIN)).isTrue();
        }
    }

    @Test
    void aPingIsAnsweredWithThePingXidWhateverItsOwn() throws Exception {
        try (RawClient c = session()) {
            c.sendFrame(RawClient.serialize(new RequestHeader(7, OpCode.ping), null));
            RawClient.Reply pong = c.read();
            assertThat(pong.header().getXid()).isEqualTo(-2);
            assertThat(pong.err()).isZero();
            RawClient.Reply after = c.call(OpCode.exists, new org.apache.zookeeper.proto.ExistsRequest("/", false));
            assertThat(after.err()).isZero();
        }
    }

    @Test
    void oversizedRequestCostsOnlyTheConnection() throws Exception {
        Events events = new Events();
        ZooKeeper zk = connect(events);
        long session = zk.getSessionId();
        byte[] big = new byte[MAX_BUFFER + 10];
        assertThat(codeOf(() -> zk.setData(base + "/data", big, -1))).isEqualTo(Code.CONNECTIONLOSS);
        events.awaitState(KeeperState.Disconnected);
        events.awaitState(KeeperState.SyncConnected);
        assertThat(zk.getSessionId()).isEqualTo(session);
        assertThat(zk.getData(base + "/data", false, null)).isEqualTo("x".getBytes());
        // a large request that fits is fine
        byte[] fits = new byte[MAX_BUFFER - 200];
        assertThat(zk.setData(base + "/data", fits, -1).getDataLength()).isEqualTo(fits.length);
        assertThat(zk.getData(base + "/data", false, null)).hasSize(fits.length);
        zk.setData(base + "/data", "x".getBytes(), -1);
        bystanderEvents.expect(EventType.NodeDataChanged, base + "/data");
        bystander.getData(base + "/data", true, null);
    }
}
