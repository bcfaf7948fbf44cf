package dev.paddock.server.storage;

import static dev.paddock.server.storage.LogTestSupport.IDS;
import static dev.paddock.server.storage.LogTestSupport.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.ConfigChange;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.MarshallingException;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.ReconfigRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two forms of a log entry's payload: version 2 (compact, written now) and version 1 (fixed-width, in logs
 * written before it). Both decode to the same entry, a log holding both recovers, and the compact form is
 * what makes the log smaller.
 */
class EntryPayloadFormsTest {
    @TempDir
    Path dir;

    /** A version 1 payload, byte for byte as Paddock wrote it before version 2. */
    static byte[] fixedForm(int origin, long requestId, Txn txn) {
        byte[] txnBytes = TxnCodec.encode(txn);
        return ByteBuffer.allocate(EntryPayload.FIXED_PREFIX_BYTES + txnBytes.length)
                .put(EntryPayload.VERSION_FIXED).putInt(origin).putLong(requestId).put(txnBytes).array();
    }

    private static List<Txn> txnsOfEveryKind() {
        List<Txn> txns = new ArrayList<>(workload(7, 2_000));
        txns.add(new Txn(2_001, -5, -1L, List.of(), new ConfigChange(
                new ReconfigRequest("server.4=127.0.0.1:2888:3888;2181", null, null, -1L),
                "server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nversion=100000000", ErrorCode.OK)));
        txns.add(new Txn(2_002, Long.MAX_VALUE, Long.MIN_VALUE, IDS,
                new CreateRequest(OpCode.CREATE, "/\u00e9t\u00e9", new byte[0], AclLists.OPEN, 0)));
        return txns;
    }

    @Test
    void bothFormsDecodeToTheSameEntryAndTheCompactOneIsNeverLarger() {
        long[] requestIds = {0, 1, -1, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE};
        int[] origins = {0, 1, 255, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int i = 0;
        for (Txn txn : txnsOfEveryKind()) {
            int origin = origins[i % origins.length];
            long requestId = requestIds[i++ % requestIds.length];
            byte[] compact = EntryPayload.encode(origin, requestId, txn);
            byte[] fixed = fixedForm(origin, requestId, txn);
            EntryPayload.Decoded expected = new EntryPayload.Decoded(origin, requestId, txn);
            assertThat(compact[0]).isEqualTo(EntryPayload.VERSION);
            assertThat(EntryPayload.decode(txn.zxid(), compact)).as("compact %s", txn).isEqualTo(expected);
            assertThat(EntryPayload.decode(txn.zxid(), fixed)).as("fixed %s", txn).isEqualTo(expected);
            assertThat(EntryPayload.opCode(compact)).isEqualTo(EntryPayload.opCode(fixed))
                    .isEqualTo(txn.request().opCode().code);
            assertThat(EntryPayload.knownVersion(ByteBuffer.wrap(compact))).isTrue();
            assertThat(EntryPayload.knownVersion(ByteBuffer.wrap(fixed))).isTrue();
            // Varints of extreme values (a negative origin, the largest request numbers and times) take a few
            // bytes more than their fixed width; ordinary entries always come out smaller.
            boolean ordinary = origin >= 0 && origin < 256 && requestId >= 0 && requestId < 1L << 40
                    && txn.timeMs() > 0 && txn.timeMs() < 1L << 48;
            if (ordinary) {
                assertThat(compact.length).as("compact size of %s", txn).isLessThan(fixed.length);
            } else {
                assertThat(compact.length).as("compact size of %s", txn).isLessThanOrEqualTo(fixed.length + 4);
            }
        }
    }

    @Test
    void aCreateOfOneHundredBytesTakesFortyBytesLessThanBefore() {
        // What the bench's scale section writes a million times.
        Txn create = new Txn(0x1_0000_0001L, 1_764_700_000_000L, 0x1000_0001_2345_0001L, IDS,
                new CreateRequest(OpCode.CREATE, "/paddock-scale/d12/e1234/n00123456", new byte[100], AclLists.OPEN, 0));
        int compact = EntryPayload.encode(3, 123_456, create).length;
        int fixed = fixedForm(3, 123_456, create).length;
        assertThat(fixed - compact).isGreaterThanOrEqualTo(40);
    }

    @Test
    void everyTruncationOfACompactPayloadIsAMarshallingException() {
        for (Txn txn : txnsOfEveryKind().subList(0, 300)) {
            byte[] compact = EntryPayload.encode(2, 77, txn);
            for (int len = 0; len < compact.length; len++) {
                ByteBuffer prefix = ByteBuffer.wrap(compact, 0, len);
                assertThatThrownBy(() -> EntryPayload.decode(txn.zxid(), prefix))
                        .as("%d of %d bytes of %s", len, compact.length, txn).isInstanceOf(MarshallingException.class);
            }
        }
    }

    @Test
    void anUnknownVersionIsRefusedByName() {
        byte[] payload = EntryPayload.encode(1, 1, workload(3, 1).get(0));
        payload[0] = 3;
        assertThat(EntryPayload.knownVersion(ByteBuffer.wrap(payload))).isFalse();
        assertThatThrownBy(() -> EntryPayload.decode(1, payload)).isInstanceOf(MarshallingException.class)
                .hasMessageContaining("record version 3");
    }

    @Test
    void aLogWrittenBeforeTheCompactFormAndContinuedWithItRecovers() throws Exception {
        List<Txn> txns = workload(11, 1_200);
        SegmentWriter w = new SegmentWriter(dir, dir, 64 * 1024, false, new SegmentWriter.Durable(0, 0), () -> true,
                t -> { });
        w.start();
        for (Txn t : txns) {
            byte[] payload = t.zxid() <= 600 ? fixedForm(0, t.zxid(), t) : EntryPayload.encode(0, t.zxid(), t);
            w.submit(new SegmentWriter.Append(new Entry(t.zxid(), payload), 0));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (w.durable().zxid() < 1_200) {
            assertThat(System.nanoTime()).as("durable in time").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
        w.close();
        StateMachine recovered = Recovery.recover(dir.resolve("no-snapshots"), dir, true, true).stateMachine();
        assertThat(TreeDigest.of(recovered)).isEqualTo(TreeDigest.of(LogTestSupport.applied(txns, txns.size())));
    }
}
