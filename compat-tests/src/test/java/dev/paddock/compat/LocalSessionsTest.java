package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.MemberProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local sessions ({@code localSessionsEnabled}, {@code localSessionsUpgradingEnabled}): a new session lives on the
 * member it connected to only, until an ephemeral needs it global (then it is upgraded through the log, if the member
 * allows upgrading; otherwise the create fails with EphemeralOnLocalSession). Member 1 upgrades, members 2 and 3 do
 * not: the setting is each member's own, so one ensemble shows both. Members are child JVMs; the scenario runs against
 * ZooKeeper 3.9.5 and Paddock with the same expectations.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalSessionsTest {
    private static final Duration SLOW = Duration.ofSeconds(60);
    private static final byte[] DATA = "x".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void sessionsStayLocalUntilAnEphemeralNeedsThemGlobal(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            for (int id = 1; id <= 3; id++) {
                List<String> lines = new ArrayList<>(List.of("localSessionsEnabled=true",
                        "localSessionsUpgradingEnabled=" + (id == 1)));
                lines.addAll(m.voters(1, 2, 3));
                m.startStatic(id, lines);
            }
            int leader = m.leader(1, 2, 3);
            for (int id = 1; id <= 3; id++) {
                m.awaitMode(id, "leader|follower");
            }
            // A follower that does not upgrade (2 or 3; they cannot both lead): persistent nodes are fine, an
            // ephemeral is refused. (A ZooKeeper leader lets the multi below create the ephemeral, a bug not copied.)
            int plain = leader == 2 ? 3 : 2;
            int other = 5 - plain;
            Events local = new Events();
            ZooKeeper onTwo = new ZooKeeper(m.connectString(plain), 10_000, local);
            local.awaitState(KeeperState.SyncConnected, SLOW);
            onTwo.create("/local", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(monitor(m, plain, "zk_local_sessions")).isEqualTo("1");
            // dump: the local sessions first, then the follower's global ones (none)
            assertThat(m.fourLetterWordOf(plain, "dump")).startsWith("SessionTracker dump:\nLocal Session Sets (")
                    .contains(")/(1):\n", "\t0x" + Long.toHexString(onTwo.getSessionId()) + "\n",
                            "Global Sessions(0):\n");
            for (int id = 1; id <= 3; id++) {
                assertThat(monitor(m, id, "zk_global_sessions")).isEqualTo("0");
            }
            assertThatThrownBy(() -> onTwo.create("/local/e", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
                    .isInstanceOf(KeeperException.EphemeralOnLocalSessionException.class);
            // A multi gets what the leader, which does not know the session, answers: SessionExpired; the session
            // itself lives on.
            assertThatThrownBy(() -> onTwo.multi(List.of(
                    Op.create("/local/m", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL))))
                    .isInstanceOf(KeeperException.SessionExpiredException.class);
            assertThat(onTwo.getChildren("/local", false)).isEmpty();
            assertThat(onTwo.getState()).isEqualTo(ZooKeeper.States.CONNECTED);

            // The session is unknown elsewhere: reconnecting it to member 3 finds it expired.
            Events moved = new Events();
            ZooKeeper onThree = new ZooKeeper(m.connectString(other), 10_000, moved, onTwo.getSessionId(),
                    onTwo.getSessionPasswd());
            moved.awaitState(KeeperState.Expired, SLOW);
            onThree.close();
            // Closing a local session is local too.
            onTwo.close();
            assertThat(monitor(m, plain, "zk_local_sessions")).isEqualTo("0");

            // Member 1 upgrades: the ephemeral makes the session global, known to every member.
            Events upgraded = new Events();
            try (ZooKeeper onOne = new ZooKeeper(m.connectString(1), 10_000, upgraded)) {
                upgraded.awaitState(KeeperState.SyncConnected, SLOW);
                assertThat(monitor(m, 1, "zk_local_sessions")).isEqualTo("1");
                onOne.create("/local/e", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                assertThat(monitor(m, 1, "zk_local_sessions")).isEqualTo("0");
                assertThat(monitor(m, 1, "zk_global_sessions")).isEqualTo("1");
                Events there = new Events();
                try (ZooKeeper again = new ZooKeeper(m.connectString(plain), 10_000, there, onOne.getSessionId(),
                        onOne.getSessionPasswd())) {
                    there.awaitState(KeeperState.SyncConnected, SLOW);
                    assertThat(again.getSessionId()).isEqualTo(onOne.getSessionId());
                    Stat stat = again.exists("/local/e", false);
                    assertThat(stat).isNotNull();
                    assertThat(stat.getEphemeralOwner()).isEqualTo(onOne.getSessionId());
                }
            }
        }
    }

    private static String monitor(MemberProcesses m, int id, String key) {
        for (String line : m.fourLetterWordOf(id, "mntr").split("\n")) {
            String[] kv = line.split("\t", 2);
            if (kv[0].equals(key)) {
                return kv[1];
            }
        }
        return "";
    }
}
