package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.ManualClock;
import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.GetDataResponse;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a failure belongs: an unexpected exception while building or writing one connection's answer closes
 * that connection only, while one from the write path passes every connection guard (and reaches the
 * request loop, which stops the process; see RequestLoopTest).
 */
class ConnectionGuardTest {

    private final ManualClock clock = new ManualClock(1_000);
    private final FlushQueue flushQueue = new FlushQueue();
    private StateMachine stateMachine;
    private WatchManager watches;
    private SessionHandler sessions;
    private RequestHandler requests;

    @BeforeEach
    void setUp() throws Exception {
        wire(null);
    }

    private void wire(WritePath writePath) throws Exception {
        ServerConfig config = ServerConfig.embeddedDefault();
        stateMachine = new StateMachine(false);
        watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), 1);
        ServerStats stats = new ServerStats();
        WritePath path = writePath != null ? writePath : new ImmediateWritePath(stateMachine, watches, clock);
        sessions = new SessionHandler(config, stateMachine, tracker, watches, path, stats, clock);
        requests = new RequestHandler(stateMachine, watches, tracker, sessions, path, stats);
    }

    private Connection connect(RecordingChannel channel) {
        Connection conn = new Connection(channel, flushQueue);
        sessions.connect(conn, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false));
        assertThat(conn.sessionId()).isNotZero();
        return conn;
    }

    private void send(Connection conn, int xid, Request request) {
        requests.handle(conn, new RequestHeader(xid, request.opCode().code), request, clock.monotonicMs());
    }

    private static CreateRequest create(String path) {
        return new CreateRequest(OpCode.CREATE, path, new byte[] {1}, AclLists.OPEN, 0);
    }

    @Test
    void aReadWhoseAnswerFailsClosesOnlyItsConnection() {
        RecordingChannel good = new RecordingChannel();
        RecordingChannel bad = new RecordingChannel();
        bad.failOn = body -> body instanceof GetDataResponse;
        Connection a = connect(good);
        Connection b = connect(bad);
        send(a, 1, create("/n"));
        assertThat(good.replies).extracting(ReplyHeader::err).containsExactly(0);

        send(b, 1, new PathWatchRequest(OpCode.GET_DATA, "/n", true));
        assertThat(bad.closed).isTrue();
        assertThat(b.isClosed()).as("detached from its session and watches").isTrue();
        assertThat(watches.watchCount()).isZero();
        send(b, 2, new PathWatchRequest(OpCode.EXISTS, "/n", false));
        assertThat(bad.replies).isEmpty();

        send(a, 2, new PathWatchRequest(OpCode.GET_DATA, "/n", false));
        assertThat(good.replies).extracting(ReplyHeader::xid).containsExactly(1, 2);
        assertThat(good.closed).isFalse();
    }

    @Test
    void aWriteWhoseAnswerFailsIsAppliedAndClosesOnlyItsConnection() {
        RecordingChannel good = new RecordingChannel();
        RecordingChannel bad = new RecordingChannel();
        bad.failOn = body -> body instanceof PathResponse;
        Connection a = connect(good);
        Connection b = connect(bad);
        send(a, 1, new PathWatchRequest(OpCode.EXISTS, "/m", true));
        send(b, 1, create("/m"));
        assertThat(bad.closed).isTrue();
        assertThat(stateMachine.tree().exists("/m")).isTrue();
        // the other connection got its watch event and goes on
        send(a, 2, new PathWatchRequest(OpCode.GET_DATA, "/m", false));
        assertThat(good.replies).extracting(ReplyHeader::xid).containsExactly(1, -1, 2);
        assertThat(good.closed).isFalse();
    }

    @Test
    void aFailureInTheWritePathPassesTheConnectionGuard() throws Exception {
        wire(new ImmediateWritePath(new StateMachine(false), new WatchManager(), clock) {
            @Override
            public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
                if (request.opCode() == OpCode.CREATE) {
                    throw new IllegalStateException("injected: the log is broken");
                }
                super.submit(sessionId, identities, request, callback);
            }
        });
        RecordingChannel channel = new RecordingChannel();
        Connection a = connect(channel);
        assertThatThrownBy(() -> send(a, 1, create("/x")))
                .isInstanceOf(WritePathFailure.class)
                .hasRootCauseMessage("injected: the log is broken");
        assertThat(channel.closed).as("not the connection's fault").isFalse();
    }
}
