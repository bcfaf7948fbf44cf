package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.KeeperError;
import dev.paddock.server.tree.Reads;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of request handling in the state machine: sequences of writes from
 * {@link FuzzedWrites}, filtered as the request layer filters them ({@link RequestChecks}), applied as
 * the log applies them. Whatever the writes, applying them must only ever answer (a ZooKeeper error is an
 * answer; any other exception is a bug), reads must only answer, two replicas must end identical, and a
 * snapshot of the result must load into the same state and go on exactly like it.
 *
 * <p>In {@code mvn verify} a short fuzzing run happens (see the server pom's {@code fuzz-short}
 * execution); {@code -Pfuzz} runs longer ({@code jazzer.max_duration}).
 */
class StateMachineFuzzer {

    @FuzzTest(maxDuration = "${jazzer.max_duration:30s}")
    void writesOnlyEverAnswer(FuzzedDataProvider data) throws IOException {
        StateMachine a = new StateMachine(true);
        StateMachine b = new StateMachine(true);
        long zxid = 0;
        long time = 1_000_000;
        for (long session : FuzzedWrites.SESSIONS) {
            Txn t = new Txn(++zxid, time, session, List.of(), new CreateSessionRequest(30_000));
            a.apply(t);
            b.apply(t);
        }
        int steps = data.consumeInt(1, 30);
        for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
            Request request = FuzzedWrites.next(data);
            long session = FuzzedWrites.SESSIONS[data.consumeInt(0, FuzzedWrites.SESSIONS.length - 1)];
            List<Id> identities = FuzzedWrites.IDENTITIES.get(data.consumeInt(0, FuzzedWrites.IDENTITIES.size() - 1));
            time += data.consumeInt(0, 100_000);
            read(a, data, identities);
            if (RequestChecks.reject(request, true) != null) {
                continue;
            }
            Txn t = new Txn(++zxid, time, session, identities, request);
            assertSame(a.apply(t), b.apply(t));
        }
        assertThat(TreeDigest.of(b)).isEqualTo(TreeDigest.of(a));
        StateMachine loaded = TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(
                TreeSnapshot.serializeNow(a))), zxid, true);
        assertThat(TreeDigest.of(loaded)).isEqualTo(TreeDigest.of(a));
        Txn after = new Txn(++zxid, time, FuzzedWrites.SESSIONS[0], List.of(), FuzzedWrites.next(data));
        if (RequestChecks.reject(after.request(), true) == null) {
            assertSame(loaded.apply(after), a.apply(after));
            assertThat(TreeDigest.of(loaded)).isEqualTo(TreeDigest.of(a));
        }
    }

    private static void assertSame(ApplyResult x, ApplyResult y) {
        assertThat(x.error()).isEqualTo(y.error());
        assertThat(x.changes()).isEqualTo(y.changes());
        assertThat(x.response() == null ? null : x.response().toBytes())
                .isEqualTo(y.response() == null ? null : y.response().toBytes());
    }

    /** Reads of any path answer or fail with a ZooKeeper error, nothing else. */
    private static void read(StateMachine sm, FuzzedDataProvider data, List<Id> identities) {
        Reads reads = new Reads(sm.tree());
        String path = data.consumeBoolean() ? "/a" : "/" + data.consumeString(6);
        try {
            switch (data.consumeInt(0, 4)) {
                case 0 -> reads.getData(path, identities);
                case 1 -> reads.getChildren2(path, identities);
                case 2 -> reads.getAcl(path, identities);
                case 3 -> reads.allChildrenNumber(path, identities);
                default -> reads.exists(path, identities);
            }
        } catch (KeeperError answered) {
            // an answer, as a client would get it
        }
    }
}
