package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.ManualClock;
import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.CreateMode;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.ConnectResponse;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request layer's local sessions and read-only mode on one server, without a quorum (the compat scenarios
 * LocalSessionsTest and ReadOnlyModeTest check the same against ZooKeeper with real ensembles).
 */
class LocalAndReadOnlySessionsTest {

    private final ManualClock clock = new ManualClock(1_000);
    private final FlushQueue flushQueue = new FlushQueue();
    private final StateMachine stateMachine = new StateMachine(false);
    private final WatchManager watches = new WatchManager();
    private final List<OpCode> logged = new ArrayList<>();
    private SessionTracker tracker;
    private SessionHandler sessions;
    private RequestHandler requests;
    private boolean serving = true;
    private boolean decidesExpiry = true;

    private void wire(boolean readOnlyEnabled, SessionHandler.LocalSessions local) throws Exception {
        ServerConfig config = ServerConfig.embeddedDefault();
        tracker = new SessionTracker(clock, config.tickTimeMs(), 1);
        ServerStats stats = new ServerStats();
        WritePath path = new ImmediateWritePath(stateMachine, watches, clock) {
            @Override
            public boolean serving() {
                return serving;
            }

            @Override
            public boolean decidesExpiry() {
                return decidesExpiry;
            }

            @Override
            public void submit(long sessionId, List<dev.paddock.wire.proto.Id> identities, Request request,
                               Callback callback) {
                logged.add(request.opCode());
                super.submit(sessionId, identities, request, callback);
            }
        };
        ReadOnlyMode readOnly = new ReadOnlyMode(readOnlyEnabled, config.tickTimeMs(), clock, path);
        sessions = new SessionHandler(config, stateMachine, tracker, watches, path, stats, clock, readOnly, local);
        requests = new RequestHandler(stateMachine, watches, tracker, sessions, path, stats);
    }

    private Connection connect(RecordingChannel channel, boolean canBeReadOnly) {
        Connection conn = new Connection(channel, flushQueue);
        sessions.opened(conn);
        sessions.connect(conn, new ConnectRequest(0, 0, 30_000, 0, new byte[16], canBeReadOnly));
        return conn;
    }

    private int send(Connection conn, RecordingChannel channel, int xid, Request request) {
        requests.handle(conn, new RequestHeader(xid, request.opCode().code), request, clock.monotonicMs());
        ReplyHeader last = channel.replies.get(channel.replies.size() - 1);
        assertThat(last.xid()).isEqualTo(xid);
        return last.err();
    }

    private static CreateRequest create(String path, CreateMode mode) {
        return new CreateRequest(OpCode.CREATE, path, new byte[] {1}, AclLists.OPEN, mode.flag);
    }

    @Test
    void aLocalSessionIsNeverLoggedAndRefusesEphemeralsWithoutUpgrading() throws Exception {
        wire(false, new SessionHandler.LocalSessions(true, false));
        RecordingChannel channel = new RecordingChannel();
        Connection conn = connect(channel, false);
        long id = conn.sessionId();
        assertThat(tracker.isLocal(id)).isTrue();
        assertThat(stateMachine.sessions()).isEmpty();
        assertThat(((ConnectResponse) channel.raw.get(0)).readOnly()).isFalse();
        assertThat(send(conn, channel, 1, create("/p", CreateMode.PERSISTENT))).isZero();
        assertThat(send(conn, channel, 2, create("/p/e", CreateMode.EPHEMERAL)))
                .isEqualTo(ErrorCode.EPHEMERAL_ON_LOCAL_SESSION.code);
        assertThat(send(conn, channel, 3, new MultiRequest(OpCode.MULTI,
                List.of(create("/p/m", CreateMode.EPHEMERAL_SEQUENTIAL))))).isEqualTo(ErrorCode.SESSION_EXPIRED.code);
        assertThat(stateMachine.tree().exists("/p/e")).isFalse();
        assertThat(send(conn, channel, 4, EmptyRequest.CLOSE_SESSION)).isZero();
        assertThat(channel.closed).isTrue();
        assertThat(tracker.isAlive(id)).isFalse();
        assertThat(stateMachine.sessions()).isEmpty();
        assertThat(logged).as("neither the session's creation nor its close").containsExactly(OpCode.CREATE);
    }

    @Test
    void aFollowerExpiresItsOwnLocalSessionsWithoutTheLog() throws Exception {
        wire(false, new SessionHandler.LocalSessions(true, false));
        decidesExpiry = false;
        RecordingChannel localChannel = new RecordingChannel();
        Connection local = connect(localChannel, false);
        tracker.add(tracker.newSessionId(), 4_000); // a global session: the leader's to expire
        clock.advanceMs(30_000 + ServerConfig.embeddedDefault().tickTimeMs());
        sessions.expireDue();
        assertThat(localChannel.closed).isTrue();
        assertThat(tracker.isAlive(local.sessionId())).isFalse();
        assertThat(tracker.count()).as("the global one waits for the leader").isEqualTo(1);
        assertThat(logged).isEmpty();
    }

    @Test
    void anEphemeralUpgradesALocalSessionThroughTheLog() throws Exception {
        wire(false, new SessionHandler.LocalSessions(true, true));
        RecordingChannel channel = new RecordingChannel();
        Connection conn = connect(channel, false);
        long id = conn.sessionId();
        assertThat(send(conn, channel, 1, create("/e", CreateMode.EPHEMERAL))).isZero();
        assertThat(tracker.isLocal(id)).isFalse();
        assertThat(stateMachine.sessions()).containsKey(id);
        assertThat(stateMachine.tree().stat("/e").ephemeralOwner()).isEqualTo(id);
        assertThat(logged).containsExactly(OpCode.CREATE_SESSION, OpCode.CREATE);
    }

    @Test
    void aReadOnlyMemberServesReadsToReadOnlyClientsUntilItServesAgain() throws Exception {
        wire(true, new SessionHandler.LocalSessions(true, false));
        RecordingChannel before = new RecordingChannel();
        Connection normal = connect(before, false);
        assertThat(normal.sessionId()).isNotZero();
        serving = false;
        sessions.closeAllConnections(); // what the member does when it loses its leader
        assertThat(before.closed).isTrue();
        assertThat(tracker.isAlive(normal.sessionId())).as("local sessions end with the role").isFalse();
        RecordingChannel early = new RecordingChannel();
        connect(early, true);
        assertThat(early.closed).as("not read-only before the grace period").isTrue();
        clock.advanceMs(2_000);
        assertThat(sessions.mode()).isEqualTo("read-only");
        assertThat(sessions.serving()).isTrue();

        RecordingChannel refused = new RecordingChannel();
        connect(refused, false);
        assertThat(refused.closed).isTrue();
        assertThat(refused.raw).isEmpty();

        RecordingChannel channel = new RecordingChannel();
        Connection conn = connect(channel, true);
        assertThat(((ConnectResponse) channel.raw.get(0)).readOnly()).isTrue();
        assertThat(tracker.isLocal(conn.sessionId())).isTrue();
        assertThat(send(conn, channel, 1, new PathWatchRequest(OpCode.EXISTS, "/zookeeper", true))).isZero();
        assertThat(send(conn, channel, 2, create("/w", CreateMode.PERSISTENT))).isEqualTo(ErrorCode.NOT_READ_ONLY.code);
        assertThat(send(conn, channel, 3, new PathRequest(OpCode.SYNC, "/"))).isEqualTo(ErrorCode.NOT_READ_ONLY.code);

        serving = true;
        sessions.observeServingMode();
        assertThat(channel.closed).isTrue();
        assertThat(tracker.localCount()).isZero();
        assertThat(sessions.mode()).isEqualTo("standalone");
    }

    @Test
    void withoutLocalSessionsAReadOnlyMemberAnswersTheHandshakeWithNotReadOnly() throws Exception {
        wire(true, SessionHandler.LocalSessions.NONE);
        serving = false;
        clock.advanceMs(2_000);
        RecordingChannel channel = new RecordingChannel();
        Connection conn = connect(channel, true);
        assertThat(conn.sessionId()).isZero();
        assertThat(channel.raw).containsExactly(new ReplyHeader(0, 0, ErrorCode.NOT_READ_ONLY.code));
        assertThat(tracker.count()).isZero();
    }
}
