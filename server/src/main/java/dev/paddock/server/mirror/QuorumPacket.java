package dev.paddock.server.mirror;

import dev.paddock.server.migration.JuteOutput;
import dev.paddock.server.migration.JuteStream;
import dev.paddock.wire.proto.Id;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One packet of ZooKeeper's learner protocol on the leader's quorum port (zookeeper.jute's
 * {@code quorum.QuorumPacket}: int type, long zxid, buffer data, vector of Id authinfo). The port carries a
 * bare stream of them, with no length prefix. {@code data} and {@code authinfo} keep the difference between
 * null (jute length -1) and empty, which ZooKeeper's leader cares about (a PING reply must not be null).
 */
record QuorumPacket(int type, long zxid, byte[] data, List<Id> authinfo) {
    static final int REQUEST = 1;
    static final int PROPOSAL = 2;
    static final int ACK = 3;
    static final int COMMIT = 4;
    static final int PING = 5;
    static final int REVALIDATE = 6;
    static final int SYNC = 7;
    static final int INFORM = 8;
    static final int NEWLEADER = 10;
    static final int UPTODATE = 12;
    static final int DIFF = 13;
    static final int TRUNC = 14;
    static final int SNAP = 15;
    static final int OBSERVERINFO = 16;
    static final int LEADERINFO = 17;
    static final int ACKEPOCH = 18;
    static final int INFORMANDACTIVATE = 19;

    /** ZooKeeper's ZAB 1.0 protocol version, sent in LearnerInfo (an older one makes the leader skip LEADERINFO). */
    static final int PROTOCOL_VERSION = 0x10000;

    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_AUTH_IDS = 1024;

    /**
     * The data of FOLLOWERINFO/OBSERVERINFO: jute {@code LearnerInfo(long sid, int protocolVersion, long
     * configVersion)}; config version 0, since a learner claiming a later config than the leader's is refused.
     */
    static byte[] learnerInfo(long sid) {
        return java.nio.ByteBuffer.allocate(20).putLong(sid).putInt(PROTOCOL_VERSION).putLong(0).array();
    }

    static QuorumPacket of(int type, long zxid, byte[] data) {
        return new QuorumPacket(type, zxid, data, null);
    }

    /** Reads the next packet; {@code maxData} bounds its data (at least the leader's jute.maxbuffer). */
    static QuorumPacket read(JuteStream in, int maxData) throws IOException {
        int type = in.readInt();
        long zxid = in.readLong();
        byte[] data = in.readBuffer("packet data", maxData);
        int count = in.readInt();
        List<Id> auth = null;
        if (count != -1) {
            if (count < 0 || count > MAX_AUTH_IDS) {
                throw new IOException("bad authinfo count " + count + " in a packet of type " + type);
            }
            auth = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                auth.add(new Id(in.readString("auth scheme", MAX_STRING), in.readString("auth id", MAX_STRING)));
            }
        }
        return new QuorumPacket(type, zxid, data, auth);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(type);
        out.writeLong(zxid);
        JuteOutput.writeBuffer(out, data);
        if (authinfo == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(authinfo.size());
        for (Id id : authinfo) {
            JuteOutput.writeString(out, id.scheme());
            JuteOutput.writeString(out, id.id());
        }
    }



    static String typeName(int type) {
        return switch (type) {
            case REQUEST -> "REQUEST";
            case PROPOSAL -> "PROPOSAL";
            case ACK -> "ACK";
            case COMMIT -> "COMMIT";
            case PING -> "PING";
            case REVALIDATE -> "REVALIDATE";
            case SYNC -> "SYNC";
            case INFORM -> "INFORM";
            case NEWLEADER -> "NEWLEADER";
            case UPTODATE -> "UPTODATE";
            case DIFF -> "DIFF";
            case TRUNC -> "TRUNC";
            case SNAP -> "SNAP";
            case OBSERVERINFO -> "OBSERVERINFO";
            case LEADERINFO -> "LEADERINFO";
            case ACKEPOCH -> "ACKEPOCH";
            case INFORMANDACTIVATE -> "INFORMANDACTIVATE";
            default -> "type " + type;
        };
    }
}
