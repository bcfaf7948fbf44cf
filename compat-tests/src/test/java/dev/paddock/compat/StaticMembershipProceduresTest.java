package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import dev.paddock.compat.harness.MemberShell;
import dev.paddock.compat.harness.ProcedureWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeds' procedures for operators without {@code reconfigEnabled} (as the seeds show them for ZooKeeper 3.4):
 * growing an ensemble by editing every zoo.cfg's server lines and restarting the members one at a time, and moving
 * an ensemble to new machines that first follow it as observers. Members are child JVMs with static zoo.cfg files,
 * each procedure run the same way against ZooKeeper 3.9.5 and against Paddock with the same expectations: a writer
 * runs throughout, every write it got an answer for is on every member at the end, its session and ephemeral
 * survive, and the shell's {@code config} shows the same text on every member.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // many JVM restarts in one procedure: more than the default 90 s
class StaticMembershipProceduresTest {
    @TempDir
    Path dir;

    /**
     * 3 -> 5 the static way: the new members start with the five-member zoo.cfg (the old leader's config does not
     * list them, so they follow without a vote), then every old member gets the same zoo.cfg and is restarted, the
     * followers first and the leader last.
     */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void membersAddedByEditingEveryZooCfgAndRestartingOneAtATime(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 5)) {
            List<String> three = withSessionRoom(m.voters(1, 2, 3));
            for (int id = 1; id <= 3; id++) {
                m.startStatic(id, three);
            }
            int leader = m.leader(1, 2, 3);
            try (ProcedureWriter writer = new ProcedureWriter(m.connectString(1, 2, 3))) {
                writer.awaitProgress();
                List<String> five = withSessionRoom(m.voters(1, 2, 3, 4, 5));
                for (int id = 4; id <= 5; id++) {
                    m.startStatic(id, five);
                    m.awaitMode(id, "follower");
                }
                writer.awaitProgress();
                List<Integer> order = new ArrayList<>();
                for (int id = 1; id <= 3; id++) {
                    if (id != leader) {
                        order.add(id);
                    }
                }
                order.add(leader);
                for (int id : order) {
                    m.stop(id);
                    m.writeConfig(id, five);
                    m.restart(id);
                    m.awaitMode(id, "leader|follower");
                    writer.awaitProgress();
                }
                int newLeader = m.leader(1, 2, 3, 4, 5);
                for (int id = 1; id <= 5; id++) {
                    if (id != newLeader) {
                        m.awaitMode(id, "follower");
                    }
                }
                String config = MemberShell.awaitSameConfig(m, 5, 1, 2, 3, 4, 5);
                for (int id = 1; id <= 5; id++) {
                    assertThat(config).contains(m.mask(m.line(id, "participant")));
                }
                // Without reconfigEnabled a static configuration keeps version 0 on every member.
                for (int id = 1; id <= 5; id++) {
                    assertThat(rawConfig(m, id)).endsWith("version=0");
                }
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, 1, 2, 3, 4, 5);
                writer.assertSessionKeptOn(m, 1, 2, 3, 4, 5);
            }
        }
    }

    /**
     * The seeds' migration by observers: three new members start as observers of the old ensemble (each listed
     * with {@code :observer} and {@code peerType=observer} in its own zoo.cfg only), the clients move to them
     * ({@code updateServerList}), then each gets a zoo.cfg listing only the new members as participants and is
     * restarted, one by one; the first two form the new ensemble with all the data, the third joins it, and the
     * old members are stopped.
     *
     * <p>The writer is moved to the first two new members only: once they have formed the new ensemble, a write
     * taken by a member still observing the old one commits there and is lost when that member joins the new
     * ensemble (the seeds warn of this window and ask for the restarts to follow each other quickly). Because the
     * writer is sequential, the second member has applied every write the first acknowledged before it restarts.
     */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void anEnsembleMigratesToItsObservers(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 6)) {
            List<String> old = withSessionRoom(m.voters(1, 2, 3));
            for (int id = 1; id <= 3; id++) {
                m.startStatic(id, old);
            }
            m.leader(1, 2, 3);
            try (ProcedureWriter writer = new ProcedureWriter(m.connectString(1, 2, 3))) {
                writer.awaitProgress();
                for (int id = 4; id <= 6; id++) {
                    List<String> lines = new ArrayList<>(List.of("peerType=observer"));
                    lines.addAll(old);
                    lines.add(m.line(id, "observer"));
                    m.startStatic(id, lines);
                    m.awaitMode(id, "observer");
                }
                // The observers serve clients: the application moves to the new machines.
                writer.client().updateServerList(m.connectString(4, 5));
                writer.awaitProgress();
                List<String> fresh = withSessionRoom(m.voters(4, 5, 6));
                for (int id = 4; id <= 6; id++) {
                    m.stop(id);
                    m.writeConfig(id, fresh);
                    m.restart(id);
                    if (id == 5) {
                        m.leader(4, 5);
                    }
                    if (id >= 5) {
                        m.awaitMode(id, "leader|follower");
                    }
                    writer.awaitProgress();
                }
                for (int id = 1; id <= 3; id++) {
                    m.stop(id);
                }
                writer.awaitProgress();
                int leader = m.leader(4, 5, 6);
                for (int id = 4; id <= 6; id++) {
                    if (id != leader) {
                        m.awaitMode(id, "follower");
                    }
                }
                int[] followers = java.util.stream.IntStream.rangeClosed(4, 6).filter(id -> id != leader).toArray();
                String config = MemberShell.awaitSameConfig(m, 3, followers);
                for (int id = 4; id <= 6; id++) {
                    assertThat(config).contains(m.mask(m.line(id, "participant")));
                }
                if (paddock) {
                    assertThat(MemberShell.awaitSameConfig(m, 3, 4, 5, 6)).isEqualTo(config);
                } else {
                    // DIFFERENCE (ZooKeeper 3.9.5, reconfigEnabled=false): the new leader's /zookeeper/config keeps
                    // the text it held as an observer of the old ensemble (the old members and itself as observer),
                    // while its followers show the new zoo.cfg; Paddock writes each member's zoo.cfg membership
                    // into the node when it opens its state, so every member shows the new one.
                    String stale = MemberShell.config(m, leader);
                    assertThat(stale).contains(m.mask(m.line(1, "participant")))
                            .contains(m.mask(m.line(leader, "observer")));
                }
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, 4, 5, 6);
                writer.assertSessionKeptOn(m, 4, 5, 6);
            }
        }
    }

    /**
     * The server lines with {@code maxSessionTimeout} raised from 20 ticks (4 s here) so that the writer's 15 s
     * session outlives a member's restart on a busy machine: since ZooKeeper 3.9 the Java client gives a session
     * up by itself once it has heard from no server for the session timeout.
     */
    private static List<String> withSessionRoom(List<String> serverLines) {
        List<String> lines = new ArrayList<>(List.of("maxSessionTimeout=30000"));
        lines.addAll(serverLines);
        return lines;
    }

    private static String rawConfig(MemberProcesses m, int id) throws Exception {
        try (ZooKeeper zk = new ZooKeeper(m.connectString(id), 15_000, e -> { })) {
            Await.until("connected to " + id, Duration.ofSeconds(30), () -> zk.getState().isConnected());
            return new String(zk.getConfig(false, null), StandardCharsets.UTF_8).strip();
        }
    }
}
