package dev.paddock.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict and the lag, from reports as the probe makes them; srvr's and the AdminServer's text parsed. */
class EnsembleReportTest {
    private static final long EPOCH_2 = 2L << 32;

    private static MemberReport member(int id, String role, long zxid) {
        return new MemberReport(new MemberTarget(id, "127.0.0.1", 2180 + id, 8080, false), role, zxid, 1, 0, 0.5, 3,
                null, "srvr");
    }

    private static MemberReport down(int id) {
        return MemberReport.failed(new MemberTarget(id, "127.0.0.1", 2180 + id, 8080, false), MemberReport.UNREACHABLE);
    }

    @Test
    void allServingWithinTheLagIsHealthy() {
        EnsembleReport r = EnsembleReport.of(List.of(member(1, "follower", EPOCH_2 + 90), member(2, "leader", EPOCH_2 + 100),
                member(3, "follower", EPOCH_2 + 100)), 1000);
        assertThat(r.verdict()).isEqualTo("healthy");
        assertThat(r.rows()).extracting(EnsembleReport.Row::lag).containsExactly(10L, 0L, 0L);
        assertThat(r.table()).contains("leader").contains("0x200000064").endsWith("healthy\n");
    }

    @Test
    void unreachableLaggingAndOlderEpochMembersAreNamed() {
        EnsembleReport r = EnsembleReport.of(List.of(member(1, "leader", EPOCH_2 + 13_000), member(2, "follower",
                EPOCH_2 + 1000), down(3), member(4, "follower", (1L << 32) + 99_999), member(5, "follower",
                EPOCH_2 + 12_999)), 1000);
        assertThat(r.healthy()).isFalse();
        assertThat(r.verdict()).isEqualTo("degraded: member 3 unreachable; member 2 lags by 12000; member 4 lags by 13000");
        assertThat(r.rows().get(2).lag()).isEqualTo(-1);
        assertThat(r.table()).contains("unreachable");
    }

    @Test
    void noLeaderSeveralLeadersAndLostQuorum() {
        assertThat(EnsembleReport.of(List.of(member(1, "follower", 5), member(2, "follower", 5), down(3)), 1000)
                .verdict()).isEqualTo("degraded: member 3 unreachable; no leader");
        assertThat(EnsembleReport.of(List.of(member(1, "leader", 5), member(2, "leader", 5), member(3, "follower", 5)),
                1000).verdict()).isEqualTo("degraded: several leaders: members 1, 2");
        assertThat(EnsembleReport.of(List.of(member(1, "leader", 5), down(2), down(3)), 1000).verdict())
                .isEqualTo("degraded: member 2 unreachable; member 3 unreachable; no quorum: 1 of 3 voters serving");
        assertThat(EnsembleReport.of(List.of(member(0, "standalone", 5)), 1000).healthy()).isTrue();
    }

    @Test
    void parsesSrvrAndTheAdminServersJson() {
        MemberTarget t = new MemberTarget(1, "127.0.0.1", 2181, 8080, false);
        MemberReport srvr = MemberProbe.fromSrvr(t, """
                Zookeeper version: 3.9.5-paddock-0.1.0, built on 2026-01-01 00:00 UTC
                Latency min/avg/max: 0/1.5725/12
                Received: 10
                Sent: 9
                Connections: 3
                Outstanding: 2
                Zxid: 0x100000007
                Mode: follower
                Node count: 5
                """);
        assertThat(srvr).isEqualTo(new MemberReport(t, "follower", 0x100000007L, 3, 2, 1.5725, 12, null, "srvr"));
        assertThat(MemberProbe.fromSrvr(t, "This ZooKeeper instance is not currently serving requests\n").problem())
                .isEqualTo(MemberReport.NOT_SERVING);
        MemberReport admin = MemberProbe.fromAdminJson(t, """
                { "version" : "3.9.5", "server_stats" : { "last_processed_zxid" : 4294967303, "outstanding_requests" : 0,
                  "server_state" : "leader", "avg_latency" : 0.25, "max_latency" : 4, "min_latency" : 0,
                  "num_alive_client_connections" : 1 }, "command" : "server_stats", "error" : null }""");
        assertThat(admin).isEqualTo(new MemberReport(t, "leader", 0x100000007L, 1, 0, 0.25, 4, null, "admin"));
    }
}
