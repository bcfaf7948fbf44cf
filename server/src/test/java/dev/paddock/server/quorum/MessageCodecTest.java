package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.transport.QuorumTransport;
import dev.paddock.wire.jute.MarshallingException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final Entry E1 = new Entry(0x100000001L, new byte[] {1, 2, 3});
    private static final Entry E2 = new Entry(0x100000002L, new byte[0]);

    private static final List<Message> SAMPLES = List.of(
            new Message.Notification(new Message.Vote(3, 0x500000007L, 5), 12, Role.LOOKING),
            new Message.Notification(new Message.Vote(3, 0x500000007L, 5), 12, Role.FOLLOWING, 0x100000000L,
                    "server.1=x".getBytes()),
            new Linked(42, 0, new Message.LearnerInfo(4, 0x400000001L, true)),
            new Linked(42, 1, new Message.LeaderInfo(6)),
            new Linked(42, 2, new Message.AckEpoch(5, 0x500000003L, false)),
            new Linked(42, 3, new Message.Sync(-1, null, List.of(E1, E2))),
            new Linked(42, 4, new Message.Sync(0x100000001L, null, List.of())),
            new Linked(42, 16, new Message.Sync(-1, new Message.SnapshotHeader(0x100000009L, 3_000_000, -12345),
                    List.of())),
            new Linked(42, 17, new Message.SnapshotChunk(1_048_576, new byte[] {9, 8, 7})),
            new Linked(42, 18, new Message.SyncEntries(List.of(E2, E1))),
            new Linked(42, 19, new Message.SyncRequest(77)),
            new Linked(42, 20, new Message.SyncReply(77, 0x600000002L)),
            new Linked(42, 21, new Message.Touches(new long[] {5, 6})),
            new Linked(42, 5, new Message.NewLeader(6, 0x500000009L)),
            new Linked(42, 22, new Message.NewLeader(6, 0x500000009L, 0x100000000L, "server.1=x".getBytes())),
            new Linked(42, 6, new Message.Ack(0x600000001L, true)),
            new Linked(42, 7, new Message.UpToDate(0x600000001L)),
            new Linked(42, 8, new Message.Proposal(E1)),
            new Linked(42, 9, new Message.Commit(0x600000002L)),
            new Linked(42, 10, new Message.Inform(E2)),
            new Linked(42, 11, new Message.Ping(7)),
            new Linked(42, 12, new Message.Pong()),
            new Linked(42, 13, new Message.Forward(new byte[] {7, 7})),
            new Linked(42, 14, new Message.Reestablish()),
            new Linked(42, 15, new Message.StepDown()));

    @Test
    void everyMessageRoundTrips() {
        for (Message m : SAMPLES) {
            Message back = MessageCodec.decode(MessageCodec.encode(m));
            if (m instanceof Linked l && l.body() instanceof Message.Forward f) {
                assertThat(((Message.Forward) ((Linked) back).body()).payload()).isEqualTo(f.payload());
            } else if (m instanceof Linked l && l.body() instanceof Message.SnapshotChunk c) {
                Message.SnapshotChunk d = (Message.SnapshotChunk) ((Linked) back).body();
                assertThat(d.offset()).isEqualTo(c.offset());
                assertThat(d.data()).isEqualTo(c.data());
            } else if (m instanceof Message.Notification n) {
                Message.Notification d = (Message.Notification) back;
                assertThat(List.of(d.vote(), d.round(), d.senderRole(), d.configVersion()))
                        .isEqualTo(List.of(n.vote(), n.round(), n.senderRole(), n.configVersion()));
                assertThat(d.config()).isEqualTo(n.config());
            } else if (m instanceof Linked l && l.body() instanceof Message.NewLeader n) {
                Message.NewLeader d = (Message.NewLeader) ((Linked) back).body();
                assertThat(List.of(d.epoch(), d.zxid(), d.configVersion()))
                        .isEqualTo(List.of(n.epoch(), n.zxid(), n.configVersion()));
                assertThat(d.config()).isEqualTo(n.config());
            } else if (m instanceof Linked l && l.body() instanceof Message.Touches t) {
                assertThat(((Message.Touches) ((Linked) back).body()).sessionIds()).isEqualTo(t.sessionIds());
            } else {
                assertThat(back).isEqualTo(m);
            }
        }
    }

    /** A full sync message stays within the transport's bound: one chunk, or one batch and one entry more. */
    @Test
    void syncMessagesFitTheFrameBound() {
        int bound = QuorumTransport.defaultMaxFrameBytes();
        byte[] chunk = new byte[QuorumConfig.DEFAULT_SNAPSHOT_CHUNK_BYTES];
        assertThat(MessageCodec.encode(new Linked(1, 1, new Message.SnapshotChunk(0, chunk))).length)
                .isLessThan(bound);
        List<Entry> batch = new ArrayList<>();
        int bytes = 0;
        while (bytes < QuorumConfig.DEFAULT_SYNC_BATCH_BYTES) {
            Entry e = new Entry(batch.size() + 1, new byte[4096]);
            batch.add(e);
            bytes += MessageCodec.entryBytes(e);
        }
        batch.add(new Entry(batch.size() + 1, new byte[0xfffff]));
        assertThat(MessageCodec.encode(new Linked(1, 1, new Message.SyncEntries(batch))).length).isLessThan(bound);
        assertThat(bound).isLessThan(4 * 1024 * 1024);
    }

    @Test
    void garbageIsAMarshallingErrorNeverAnotherException() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[r.nextInt(40)];
            r.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) (1 + r.nextInt(2));
                if (bytes.length > 17 && r.nextBoolean()) {
                    bytes[17] = (byte) (10 + r.nextInt(20)); // a known body type, so its decoder is fuzzed
                }
            }
            try {
                MessageCodec.decode(bytes);
            } catch (MarshallingException expected) {
                // fine
            }
        }
        assertThatThrownBy(() -> MessageCodec.decode(new byte[] {9})).isInstanceOf(MarshallingException.class);
    }
}
