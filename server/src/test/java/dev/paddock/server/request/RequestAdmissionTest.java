package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.RequestLimits;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.wire.OpCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's request throttle and globalOutstandingLimit as {@link RequestAdmission} keeps them: at most
 * max_requests tickets open, the rest waiting in arrival order and let through as tickets end; a waiting request
 * whose connection closed is dropped (once per connection, its later requests with it) or let through and counted
 * stale; a connection that sends while the server is over the global limit is paused and read again once it is
 * not. Real threads (the request loop's, the throttle's); every wait is for a state, bounded only to fail.
 */
class RequestAdmissionTest {

    private final RequestLoop loop = new RequestLoop(Clock.SYSTEM, "test-requests");
    private final ServerStats stats = new ServerStats();
    private final InFlight inFlight = new InFlight();
    /** The requests the request thread got, by name, and their tickets, in the order they got there. */
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<Ticket> tickets = new CopyOnWriteArrayList<>();
    private RequestAdmission admission;

    @AfterEach
    void tearDown() {
        if (admission != null) {
            admission.close();
        }
        loop.close();
    }

    private RequestAdmission start(RequestLimits limits) {
        loop.start();
        admission = new RequestAdmission(limits, inFlight, loop, Clock.SYSTEM, stats);
        return admission;
    }

    private static RequestLimits throttle(int max, boolean dropStale) {
        return new RequestLimits(max, 100, dropStale, true, false, RequestLimits.DEFAULT_GLOBAL_OUTSTANDING_LIMIT, 0);
    }

    private static Connection connection(RecordingChannel channel) {
        return new Connection(channel, new FlushQueue());
    }

    private void submit(Connection conn, String name) {
        submit(conn, name, OpCode.GET_DATA);
    }

    /** Received at monotonic 0: long ago, as far as throttled_op_wait_time is concerned. */
    private void submit(Connection conn, String name, OpCode op) {
        conn.outstanding().incrementAndGet();
        admission.submit(conn, 0, op.code, ticket -> {
            handled.add(name);
            tickets.add(ticket);
        });
    }

    private int nextToEnd;

    /** Ends the oldest ticket not yet ended (waiting for it to be handed over), on the request thread. */
    private void endOne() throws InterruptedException {
        await("a request to end", () -> tickets.size() > nextToEnd);
        Ticket t = tickets.get(nextToEnd++);
        loop.execute(t::end);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void atMostMaxRequestsAreInProcessAndTheRestGoInArrivalOrder() throws Exception {
        start(throttle(2, true));
        Connection a = connection(new RecordingChannel());
        Connection b = connection(new RecordingChannel());
        submit(a, "a1");
        submit(b, "b1");
        submit(a, "a2");
        submit(b, "b2");
        submit(a, "a3");
        await("two through and the throttle waiting", () -> handled.size() == 2 && stats.requestThrottleWaits() > 0);
        assertThat(handled).containsExactly("a1", "b1");
        assertThat(inFlight.count()).isEqualTo(2);
        // The first waiting request is in the throttle's hands; the two behind it count against globalOutstandingLimit.
        assertThat(admission.waiting()).isEqualTo(2);
        endOne();
        await("a third through", () -> handled.size() == 3);
        assertThat(inFlight.count()).isEqualTo(2);
        endOne();
        endOne();
        endOne();
        await("all through", () -> handled.size() == 5);
        endOne();
        await("all ended", () -> inFlight.count() == 0);
        assertThat(handled).containsExactly("a1", "b1", "a2", "b2", "a3");
        assertThat(stats.staleRequests()).isZero();
        assertThat(stats.staleRequestsDropped()).isZero();
        assertThat(stats.requestThrottleQueueTime().count()).isEqualTo(5);
    }

    @Test
    void aWaitingRequestWhoseConnectionClosedIsDroppedWithTheRestOfItsConnection() throws Exception {
        start(throttle(1, true));
        RecordingChannel goneChannel = new RecordingChannel();
        Connection busy = connection(new RecordingChannel());
        Connection gone = connection(goneChannel);
        Connection other = connection(new RecordingChannel());
        submit(busy, "busy");
        await("the first through", () -> handled.size() == 1);
        submit(gone, "gone1");
        submit(gone, "gone2");
        submit(other, "other");
        await("the throttle waiting", () -> stats.requestThrottleWaits() > 0);
        gone.markGone();
        await("the stale request dropped", () -> stats.staleRequestsDropped() == 1);
        assertThat(gone.isInvalid()).isTrue();
        assertThat(goneChannel.closed).isTrue();
        endOne();
        await("the other connection's request through", () -> handled.size() == 2);
        assertThat(handled).containsExactly("busy", "other");
        // gone2 was dropped as part of its connection, not counted again.
        assertThat(stats.staleRequestsDropped()).isEqualTo(1);
        assertThat(stats.staleRequests()).isZero();
        endOne();
        await("all ended", () -> inFlight.count() == 0);
    }

    @Test
    void withoutDropStaleAStaleRequestGoesThroughAndIsCounted() throws Exception {
        start(throttle(1, false));
        Connection busy = connection(new RecordingChannel());
        Connection gone = connection(new RecordingChannel());
        submit(busy, "busy");
        await("the first through", () -> handled.size() == 1);
        submit(gone, "gone1");
        await("the throttle waiting", () -> stats.requestThrottleWaits() > 0);
        gone.markGone();
        endOne();
        await("the stale request through", () -> handled.size() == 2);
        assertThat(stats.staleRequests()).isEqualTo(1);
        assertThat(stats.staleRequestsDropped()).isZero();
        endOne();
        await("all ended", () -> inFlight.count() == 0);
    }

    @Test
    void aCloseSessionIsNeverStale() throws Exception {
        start(throttle(1, true));
        Connection busy = connection(new RecordingChannel());
        Connection closing = connection(new RecordingChannel());
        submit(busy, "busy");
        await("the first through", () -> handled.size() == 1);
        submit(closing, "close", OpCode.CLOSE_SESSION);
        await("the throttle waiting", () -> stats.requestThrottleWaits() > 0);
        closing.markGone();
        endOne();
        await("the closeSession through", () -> handled.size() == 2);
        assertThat(stats.staleRequestsDropped()).isZero();
        assertThat(stats.staleRequests()).isZero();
        endOne();
    }

    @Test
    void overTheGlobalLimitAConnectionStopsReadingUntilTheCountIsBackUnder() throws Exception {
        start(new RequestLimits(0, 100, true, true, false, 2, 0));
        RecordingChannel channel = new RecordingChannel();
        Connection conn = connection(channel);
        AtomicInteger pauses = new AtomicInteger();
        submit(conn, "r1");
        submit(conn, "r2");
        // Two in process is not over a limit of 2.
        admission.arrived(conn, pauses::incrementAndGet);
        assertThat(pauses.get()).isZero();
        submit(conn, "r3");
        await("three in process", () -> inFlight.count() == 3 && handled.size() == 3);
        // Three is: the connection that sent it stops reading.
        admission.arrived(conn, pauses::incrementAndGet);
        assertThat(pauses.get()).isEqualTo(1);
        assertThat(admission.pausedCount()).isEqualTo(1);
        assertThat(channel.resumes.get()).isZero();
        endOne();
        await("the connection reading again", () -> channel.resumes.get() == 1);
        assertThat(admission.pausedCount()).isZero();
        endOne();
        endOne();
        await("all ended", () -> inFlight.count() == 0);
        assertThat(channel.resumes.get()).isEqualTo(1);
    }

    @Test
    void aRequestThatWaitedPastThrottledOpWaitTimeIsMarkedThrottledButNotAPing() throws Exception {
        start(new RequestLimits(1, 100, true, true, false, RequestLimits.DEFAULT_GLOBAL_OUTSTANDING_LIMIT, 1));
        Connection conn = connection(new RecordingChannel());
        submit(conn, "read");
        submit(conn, "ping", OpCode.PING);
        submit(conn, "write", OpCode.CREATE);
        endOne();
        endOne();
        endOne();
        await("all through", () -> handled.size() == 3);
        assertThat(tickets).extracting(Ticket::throttled).containsExactly(true, false, true);
        assertThat(stats.throttledOps()).isEqualTo(2);
        await("all ended", () -> inFlight.count() == 0);
    }
}
