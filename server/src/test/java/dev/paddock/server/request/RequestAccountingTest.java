package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.ManualClock;
import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.AuthPacket;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.GetDataResponse;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one place a request ends ({@link InFlight}, {@link Ticket}): every kind of ending (answered at once,
 * answered after a write, refused, ignored, its connection closed or its session gone while it waited, its
 * write never answered) brings the server-wide count and the connection's outstanding count back to zero, and
 * nothing ends twice (the count never goes below zero, even when a held write answers after its connection was
 * detached).
 */
class RequestAccountingTest {
    /** A write path that holds writes until told, or forgets them (a member that lost its leader). */
    private static final class HeldWritePath extends ImmediateWritePath {
        private final List<Runnable> held = new ArrayList<>();
        boolean hold;

        HeldWritePath(StateMachine stateMachine, WatchManager watches, ManualClock clock) {
            super(stateMachine, watches, clock);
        }

        @Override
        public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
            if (hold) {
                held.add(() -> super.submit(sessionId, identities, request, callback));
            } else {
                super.submit(sessionId, identities, request, callback);
            }
        }

        void releaseAll() {
            List<Runnable> now = new ArrayList<>(held);
            held.clear();
            now.forEach(Runnable::run);
        }

        void forgetAll() {
            held.clear();
        }
    }

    private final ManualClock clock = new ManualClock(1_000);
    private final FlushQueue flushQueue = new FlushQueue();
    private SessionTracker tracker;
    private SessionHandler sessions;
    private RequestHandler requests;
    private HeldWritePath path;

    @BeforeEach
    void setUp() throws Exception {
        ServerConfig config = ServerConfig.embeddedDefault();
        StateMachine stateMachine = new StateMachine(false);
        WatchManager watches = new WatchManager();
        tracker = new SessionTracker(clock, config.tickTimeMs(), 1);
        path = new HeldWritePath(stateMachine, watches, clock);
        sessions = new SessionHandler(config, stateMachine, tracker, watches, path, new ServerStats(), clock);
        requests = new RequestHandler(stateMachine, watches, tracker, sessions, path, new ServerStats());
    }

    private Connection connect(RecordingChannel channel) {
        Connection conn = new Connection(channel, flushQueue);
        sessions.opened(conn);
        sessions.connect(conn, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false));
        assertThat(conn.sessionId()).isNotZero();
        return conn;
    }

    /** As the network layer does: counted outstanding, a ticket opened, then handled on "the request thread". */
    private Ticket ticket(Connection conn) {
        conn.outstanding().incrementAndGet();
        return requests.inFlight().open(conn);
    }

    private void send(Connection conn, int xid, Request request) {
        requests.handle(conn, new RequestHeader(xid, request.opCode().code), request, clock.monotonicMs(),
                ticket(conn));
    }

    private int inFlight() {
        return requests.inFlight().count();
    }

    private static CreateRequest create(String p) {
        return new CreateRequest(OpCode.CREATE, p, new byte[] {1}, AclLists.OPEN, 0);
    }

    private static PathWatchRequest getData(String p) {
        return new PathWatchRequest(OpCode.GET_DATA, p, false);
    }

    private static List<Integer> errors(RecordingChannel channel) {
        return channel.replies.stream().map(ReplyHeader::err).toList();
    }

    @Test
    void answeredAtOnceEndsEachRequest() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        send(conn, 1, create("/a"));
        send(conn, 2, getData("/a"));
        send(conn, 3, getData("/missing"));
        send(conn, 4, EmptyRequest.PING);
        send(conn, 5, new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8)));
        assertThat(errors(ch)).containsExactly(0, 0, ErrorCode.NO_NODE.code, 0, 0);
        assertThat(inFlight()).isZero();
        assertThat(conn.outstanding().get()).isZero();
        assertThat(conn.ticketsHeld()).isZero();
    }

    @Test
    void aHeldWriteAndTheReadsBehindItEndWhenTheWriteIsAnswered() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        path.hold = true;
        send(conn, 1, create("/a"));
        send(conn, 2, getData("/a"));
        send(conn, 3, EmptyRequest.PING);
        assertThat(inFlight()).isEqualTo(3);
        assertThat(conn.outstanding().get()).isEqualTo(3);
        path.releaseAll();
        assertThat(errors(ch)).containsExactly(0, 0, 0);
        assertThat(inFlight()).isZero();
        assertThat(conn.outstanding().get()).isZero();
    }

    @Test
    void refusedAndIgnoredRequestsEndToo() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        // Unimplemented: answered, then the connection is dropped (as ZooKeeper).
        requests.unimplemented(conn, new RequestHeader(1, 9999), clock.monotonicMs(), ticket(conn));
        assertThat(errors(ch)).containsExactly(ErrorCode.UNIMPLEMENTED.code);
        assertThat(conn.isClosed()).isTrue();
        // Arriving after the connection was detached: ignored, still ended.
        send(conn, 2, getData("/"));
        requests.undecodable(conn, new RequestHeader(3, OpCode.GET_DATA.code), clock.monotonicMs(), ticket(conn));
        assertThat(inFlight()).isZero();

        RecordingChannel ch2 = new RecordingChannel();
        Connection other = connect(ch2);
        requests.undecodable(other, new RequestHeader(4, OpCode.GET_DATA.code), clock.monotonicMs(), ticket(other));
        // A body that did not decode: answered MarshallingError, the connection kept.
        assertThat(errors(ch2)).containsExactly(ErrorCode.MARSHALLING_ERROR.code);
        assertThat(inFlight()).isZero();
        assertThat(other.outstanding().get()).isZero();
    }

    @Test
    void aRequestOfAnExpiredSessionEnds() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        tracker.remove(conn.sessionId());
        send(conn, 1, getData("/"));
        assertThat(errors(ch)).containsExactly(ErrorCode.SESSION_EXPIRED.code);
        assertThat(inFlight()).isZero();
    }

    @Test
    void aConnectionLostWhileItsRequestsWaitEndsThemOnceEvenIfTheWriteAnswersLater() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        RecordingChannel ch2 = new RecordingChannel();
        Connection bystander = connect(ch2);
        path.hold = true;
        send(conn, 1, create("/a"));
        send(conn, 2, getData("/a"));
        send(bystander, 1, create("/b"));
        assertThat(inFlight()).isEqualTo(3);
        sessions.connectionLost(conn);
        assertThat(inFlight()).isEqualTo(1);
        // A ticket opened before the loss and handled after it ends at once.
        send(conn, 3, getData("/a"));
        assertThat(inFlight()).isEqualTo(1);
        path.releaseAll();
        assertThat(inFlight()).isZero();
        assertThat(ch.replies).isEmpty();
        assertThat(errors(ch2)).containsExactly(0);
    }

    @Test
    void writesAWritePathForgetsEndWhenItsConnectionsAreClosed() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        path.hold = true;
        send(conn, 1, create("/a"));
        send(conn, 2, EmptyRequest.PING);
        path.forgetAll();
        assertThat(inFlight()).isEqualTo(2);
        sessions.closeAllConnections();
        assertThat(inFlight()).isZero();
    }

    @Test
    void closeSessionEndsWithItsConnection() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        path.hold = true;
        send(conn, 1, create("/a"));
        send(conn, 2, EmptyRequest.CLOSE_SESSION);
        assertThat(inFlight()).isEqualTo(2);
        path.releaseAll();
        assertThat(errors(ch)).containsExactly(0, 0);
        assertThat(conn.isClosed()).isTrue();
        assertThat(inFlight()).isZero();
    }

    @Test
    void aFailedAnswerClosesTheConnectionAndEndsItsRequests() {
        RecordingChannel ch = new RecordingChannel();
        ch.failOn = body -> body instanceof GetDataResponse;
        Connection conn = connect(ch);
        path.hold = true;
        send(conn, 1, create("/a"));
        send(conn, 2, getData("/a"));
        send(conn, 3, EmptyRequest.PING);
        path.releaseAll();
        assertThat(ch.closed).isTrue();
        assertThat(conn.isClosed()).isTrue();
        assertThat(inFlight()).isZero();
    }

    @Test
    void aFailedAddAuthClosesTheConnectionAndEnds() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        send(conn, 1, new AuthPacket(0, "no-such-scheme", new byte[0]));
        assertThat(errors(ch)).containsExactly(ErrorCode.AUTH_FAILED.code);
        assertThat(conn.isClosed()).isTrue();
        assertThat(inFlight()).isZero();
    }

    @Test
    void aThrottledRequestIsAnsweredThrottledOpWithoutBeingServedAndEnds() {
        RecordingChannel ch = new RecordingChannel();
        Connection conn = connect(ch);
        Ticket throttled = ticket(conn);
        throttled.markThrottled();
        CreateRequest create = create("/t");
        requests.handle(conn, new RequestHeader(1, create.opCode().code), create, clock.monotonicMs(), throttled);
        send(conn, 2, getData("/t"));
        assertThat(errors(ch)).containsExactly(ErrorCode.THROTTLED_OP.code, ErrorCode.NO_NODE.code);
        assertThat(inFlight()).isZero();
    }
}
