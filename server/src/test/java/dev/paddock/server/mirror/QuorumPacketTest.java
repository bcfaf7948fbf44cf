package dev.paddock.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.migration.JuteStream;
import dev.paddock.wire.proto.Id;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;

/**
 * The mirror's packet codec against ZooKeeper's own jute class ({@code org.apache.zookeeper.server.quorum
 * .QuorumPacket}, 3.9.5): byte for byte both ways, with null and empty data and authinfo kept apart.
 */
class QuorumPacketTest {
    private static final Path SOURCE = Path.of("test");

    private static byte[] ours(QuorumPacket p) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        p.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] zookeepers(org.apache.zookeeper.server.quorum.QuorumPacket p) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive.getArchive(bytes).writeRecord(p, "packet");
        return bytes.toByteArray();
    }

    private static List<org.apache.zookeeper.data.Id> zkIds(List<Id> ids) {
        if (ids == null) {
            return null;
        }
        List<org.apache.zookeeper.data.Id> out = new ArrayList<>();
        ids.forEach(i -> out.add(new org.apache.zookeeper.data.Id(i.scheme(), i.id())));
        return out;
    }

    @Test
    void writtenAsZooKeeperWritesThem() throws Exception {
        List<QuorumPacket> packets = List.of(
                QuorumPacket.of(QuorumPacket.ACK, 0x500000000L, null),
                QuorumPacket.of(QuorumPacket.ACKEPOCH, 0x4000000a2L, new byte[] {0, 0, 0, 4}),
                new QuorumPacket(QuorumPacket.PING, 0x5000000ffL, new byte[0], List.of()),
                new QuorumPacket(QuorumPacket.REQUEST, -1, new byte[] {1, 2, 3},
                        List.of(new Id("digest", "user:x"), new Id("ip", "127.0.0.1"))));
        for (QuorumPacket p : packets) {
            byte[] expected = zookeepers(new org.apache.zookeeper.server.quorum.QuorumPacket(p.type(), p.zxid(),
                    p.data(), zkIds(p.authinfo())));
            assertThat(ours(p)).as(QuorumPacket.typeName(p.type())).isEqualTo(expected);
        }
    }

    @Test
    void readsWhatZooKeeperWrites() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(bytes);
        archive.writeRecord(new org.apache.zookeeper.server.quorum.QuorumPacket(QuorumPacket.INFORM, 0x700000001L,
                new byte[] {9, 8, 7}, null), "packet");
        archive.writeRecord(new org.apache.zookeeper.server.quorum.QuorumPacket(QuorumPacket.PING, 0x700000002L,
                null, List.of(new org.apache.zookeeper.data.Id("sasl", "bob"))), "packet");
        archive.writeRecord(new org.apache.zookeeper.server.quorum.QuorumPacket(QuorumPacket.UPTODATE, -1,
                new byte[0], new ArrayList<>()), "packet");
        JuteStream in = new JuteStream(new ByteArrayInputStream(bytes.toByteArray()), SOURCE);
        QuorumPacket inform = QuorumPacket.read(in, 1 << 20);
        assertThat(inform.type()).isEqualTo(QuorumPacket.INFORM);
        assertThat(inform.zxid()).isEqualTo(0x700000001L);
        assertThat(inform.data()).containsExactly(9, 8, 7);
        assertThat(inform.authinfo()).isNull();
        QuorumPacket ping = QuorumPacket.read(in, 1 << 20);
        assertThat(ping.data()).isNull();
        assertThat(ping.authinfo()).containsExactly(new Id("sasl", "bob"));
        QuorumPacket upToDate = QuorumPacket.read(in, 1 << 20);
        assertThat(upToDate.zxid()).isEqualTo(-1);
        assertThat(upToDate.data()).isEmpty();
        assertThat(upToDate.authinfo()).isEmpty();
    }

    @Test
    void learnerInfoIsWhatZooKeepersLeaderReads() throws Exception {
        // The leader decodes OBSERVERINFO's data as jute LearnerInfo(sid, protocolVersion, configVersion).
        byte[] ours = QuorumPacket.learnerInfo(4);
        org.apache.zookeeper.server.quorum.LearnerInfo info = new org.apache.zookeeper.server.quorum.LearnerInfo();
        info.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(ours)), "LearnerInfo");
        assertThat(info.getServerid()).isEqualTo(4);
        assertThat(info.getProtocolVersion()).isEqualTo(0x10000);
        assertThat(info.getConfigVersion()).isZero();
        assertThat(ours).isEqualTo(zkLearnerInfo(info));
    }

    private static byte[] zkLearnerInfo(org.apache.zookeeper.server.quorum.LearnerInfo info) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive.getArchive(bytes).writeRecord(info, "LearnerInfo");
        return bytes.toByteArray();
    }
}
