package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Ack;
import dev.paddock.server.quorum.Message.AckEpoch;
import dev.paddock.server.quorum.Message.Body;
import dev.paddock.server.quorum.Message.Commit;
import dev.paddock.server.quorum.Message.Forward;
import dev.paddock.server.quorum.Message.Inform;
import dev.paddock.server.quorum.Message.LeaderInfo;
import dev.paddock.server.quorum.Message.LearnerInfo;
import dev.paddock.server.quorum.Message.Linked;
import dev.paddock.server.quorum.Message.NewLeader;
import dev.paddock.server.quorum.Message.Notification;
import dev.paddock.server.quorum.Message.Ping;
import dev.paddock.server.quorum.Message.Pong;
import dev.paddock.server.quorum.Message.Proposal;
import dev.paddock.server.quorum.Message.Reestablish;
import dev.paddock.server.quorum.Message.StepDown;
import dev.paddock.server.quorum.Message.Sync;
import dev.paddock.server.quorum.Message.UpToDate;
import dev.paddock.server.quorum.Message.Vote;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.MarshallingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte encoding of {@link Message}s between members: a type byte, then the fields in jute's big-endian
 * primitives. Decoding is bounds-checked like every other reader in Paddock.
 */
public final class MessageCodec {
    private static final byte NOTIFICATION = 1;
    private static final byte LINKED = 2;

    private static final byte LEARNER_INFO = 10;
    private static final byte LEADER_INFO = 11;
    private static final byte ACK_EPOCH = 12;
    private static final byte SYNC = 13;
    private static final byte NEW_LEADER = 14;
    private static final byte ACK = 15;
    private static final byte UP_TO_DATE = 16;
    private static final byte PROPOSAL = 17;
    private static final byte COMMIT = 18;
    private static final byte INFORM = 19;
    private static final byte PING = 20;
    private static final byte PONG = 21;
    private static final byte FORWARD = 22;
    private static final byte REESTABLISH = 23;
    private static final byte STEP_DOWN = 24;
    private static final byte SYNC_REQUEST = 25;
    private static final byte SYNC_REPLY = 26;
    private static final byte TOUCHES = 27;
    private static final byte SNAPSHOT_CHUNK = 28;
    private static final byte SYNC_ENTRIES = 29;

    private MessageCodec() {
    }

    public static byte[] encode(Message m) {
        // Sized generously, then trimmed: entries dominate and their sizes are known.
        byte[] buf = new byte[estimate(m)];
        JuteWriter out = JuteWriter.wrap(buf);
        if (m instanceof Notification n) {
            out.writeByte(NOTIFICATION);
            out.writeInt(n.vote().leader()).writeLong(n.vote().zxid()).writeLong(n.vote().epoch());
            out.writeLong(n.round()).writeInt(n.senderRole().ordinal());
            out.writeLong(n.configVersion()).writeBuffer(n.config());
            writeIds(out, n.voters());
            out.writeLong(n.loggedVersion());
            writeIds(out, n.loggedVoters());
        } else {
            Linked l = (Linked) m;
            out.writeByte(LINKED).writeLong(l.link()).writeLong(l.seq());
            writeBody(out, l.body());
        }
        byte[] exact = new byte[out.position()];
        System.arraycopy(buf, 0, exact, 0, exact.length);
        return exact;
    }

    private static int estimate(Message m) {
        int size = 64;
        if (m instanceof Notification n) {
            size += n.config().length + 4 * (n.voters().size() + n.loggedVoters().size());
        }
        if (m instanceof Linked l) {
            Body b = l.body();
            if (b instanceof Sync s) {
                size += entriesBytes(s.entries());
            } else if (b instanceof Message.SyncEntries s) {
                size += entriesBytes(s.entries());
            } else if (b instanceof Message.SnapshotChunk c) {
                size += c.data().length;
            } else if (b instanceof Proposal p) {
                size += p.entry().payload().length;
            } else if (b instanceof Inform i) {
                size += i.entry().payload().length;
            } else if (b instanceof Forward f) {
                size += f.payload().length;
            } else if (b instanceof NewLeader n) {
                size += n.config().length;
            } else if (b instanceof Message.Touches t) {
                size += 8 * t.sessionIds().length;
            }
        }
        return size;
    }

    /** The encoded size of entries in a sync message: zxid, length and payload each. */
    public static int entriesBytes(List<Entry> entries) {
        int size = 4;
        for (Entry e : entries) {
            size += entryBytes(e);
        }
        return size;
    }

    public static int entryBytes(Entry e) {
        return 12 + e.payload().length;
    }

    private static void writeEntries(JuteWriter out, List<Entry> entries) {
        out.writeInt(entries.size());
        for (Entry e : entries) {
            writeEntry(out, e);
        }
    }

    private static List<Entry> readEntries(JuteReader in) {
        int count = in.readInt();
        if (count < 0 || count > in.remaining() / 12) {
            throw new MarshallingException("bad entry count " + count);
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(readEntry(in));
        }
        return entries;
    }

    private static void writeEntry(JuteWriter out, Entry e) {
        out.writeLong(e.zxid()).writeBuffer(e.payload());
    }

    private static Entry readEntry(JuteReader in) {
        long zxid = in.readLong();
        byte[] payload = in.readBuffer();
        if (payload == null) {
            throw new MarshallingException("entry without payload");
        }
        return new Entry(zxid, payload);
    }

    private static void writeBody(JuteWriter out, Body body) {
        if (body instanceof LearnerInfo b) {
            out.writeByte(LEARNER_INFO).writeLong(b.acceptedEpoch()).writeLong(b.lastZxid()).writeBool(b.observer());
        } else if (body instanceof LeaderInfo b) {
            out.writeByte(LEADER_INFO).writeLong(b.newEpoch());
        } else if (body instanceof AckEpoch b) {
            out.writeByte(ACK_EPOCH).writeLong(b.currentEpoch()).writeLong(b.lastZxid()).writeBool(b.counted());
        } else if (body instanceof Sync b) {
            out.writeByte(SYNC).writeLong(b.truncateTo());
            out.writeBool(b.snapshot() != null);
            if (b.snapshot() != null) {
                out.writeLong(b.snapshot().zxid()).writeInt(b.snapshot().sizeBytes()).writeInt(b.snapshot().checksum());
            }
            writeEntries(out, b.entries());
        } else if (body instanceof Message.SnapshotChunk b) {
            out.writeByte(SNAPSHOT_CHUNK).writeInt(b.offset()).writeBuffer(b.data());
        } else if (body instanceof Message.SyncEntries b) {
            out.writeByte(SYNC_ENTRIES);
            writeEntries(out, b.entries());
        } else if (body instanceof NewLeader b) {
            out.writeByte(NEW_LEADER).writeLong(b.epoch()).writeLong(b.zxid()).writeLong(b.configVersion())
                    .writeBuffer(b.config());
        } else if (body instanceof Ack b) {
            out.writeByte(ACK).writeLong(b.zxid()).writeBool(b.newLeader());
        } else if (body instanceof UpToDate b) {
            out.writeByte(UP_TO_DATE).writeLong(b.commitZxid());
        } else if (body instanceof Proposal b) {
            out.writeByte(PROPOSAL);
            writeEntry(out, b.entry());
        } else if (body instanceof Commit b) {
            out.writeByte(COMMIT).writeLong(b.zxid());
        } else if (body instanceof Inform b) {
            out.writeByte(INFORM);
            writeEntry(out, b.entry());
        } else if (body instanceof Ping b) {
            out.writeByte(PING).writeLong(b.commitZxid());
        } else if (body instanceof Pong) {
            out.writeByte(PONG);
        } else if (body instanceof Forward b) {
            out.writeByte(FORWARD).writeBuffer(b.payload());
        } else if (body instanceof Reestablish) {
            out.writeByte(REESTABLISH);
        } else if (body instanceof StepDown) {
            out.writeByte(STEP_DOWN);
        } else if (body instanceof Message.SyncRequest b) {
            out.writeByte(SYNC_REQUEST).writeLong(b.id());
        } else if (body instanceof Message.SyncReply b) {
            out.writeByte(SYNC_REPLY).writeLong(b.id()).writeLong(b.commitZxid());
        } else if (body instanceof Message.Touches b) {
            out.writeByte(TOUCHES).writeInt(b.sessionIds().length);
            for (long id : b.sessionIds()) {
                out.writeLong(id);
            }
        } else {
            throw new IllegalArgumentException("no encoding for " + body);
        }
    }

    private static void writeIds(JuteWriter out, java.util.Set<Integer> ids) {
        out.writeInt(ids.size());
        for (int id : ids) {
            out.writeInt(id);
        }
    }

    private static java.util.Set<Integer> readIds(JuteReader in) {
        int count = in.readInt();
        if (count < 0 || count > 4096) {
            throw new MarshallingException("bad server id count " + count);
        }
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(in.readInt());
        }
        return ids;
    }

    public static Message decode(byte[] bytes) {
        JuteReader in = JuteReader.of(bytes);
        byte kind = in.readByte();
        if (kind == NOTIFICATION) {
            Vote vote = new Vote(in.readInt(), in.readLong(), in.readLong());
            long round = in.readLong();
            int role = in.readInt();
            if (role < 0 || role >= Role.values().length) {
                throw new MarshallingException("unknown role " + role);
            }
            long configVersion = in.readLong();
            byte[] config = in.readBuffer();
            java.util.Set<Integer> voters = readIds(in);
            long loggedVersion = in.readLong();
            java.util.Set<Integer> loggedVoters = readIds(in);
            return new Notification(vote, round, Role.values()[role], configVersion,
                    config == null ? new byte[0] : config, voters, loggedVersion, loggedVoters);
        }
        if (kind != LINKED) {
            throw new MarshallingException("unknown message kind " + kind);
        }
        long link = in.readLong();
        long seq = in.readLong();
        return new Linked(link, seq, readBody(in));
    }

    private static Body readBody(JuteReader in) {
        byte type = in.readByte();
        switch (type) {
            case LEARNER_INFO:
                return new LearnerInfo(in.readLong(), in.readLong(), in.readBool());
            case LEADER_INFO:
                return new LeaderInfo(in.readLong());
            case ACK_EPOCH:
                return new AckEpoch(in.readLong(), in.readLong(), in.readBool());
            case SYNC: {
                long truncateTo = in.readLong();
                Message.SnapshotHeader snapshot = null;
                if (in.readBool()) {
                    long zxid = in.readLong();
                    int size = in.readInt();
                    if (size < 0) {
                        throw new MarshallingException("bad snapshot size " + size);
                    }
                    snapshot = new Message.SnapshotHeader(zxid, size, in.readInt());
                }
                return new Sync(truncateTo, snapshot, readEntries(in));
            }
            case SNAPSHOT_CHUNK: {
                int offset = in.readInt();
                byte[] data = in.readBuffer();
                if (offset < 0 || data == null) {
                    throw new MarshallingException("bad snapshot chunk at " + offset);
                }
                return new Message.SnapshotChunk(offset, data);
            }
            case SYNC_ENTRIES:
                return new Message.SyncEntries(readEntries(in));
            case NEW_LEADER:
            {
                long epoch = in.readLong();
                long zxid = in.readLong();
                long configVersion = in.readLong();
                byte[] config = in.readBuffer();
                return new NewLeader(epoch, zxid, configVersion, config == null ? new byte[0] : config);
            }
            case ACK:
                return new Ack(in.readLong(), in.readBool());
            case UP_TO_DATE:
                return new UpToDate(in.readLong());
            case PROPOSAL:
                return new Proposal(readEntry(in));
            case COMMIT:
                return new Commit(in.readLong());
            case INFORM:
                return new Inform(readEntry(in));
            case PING:
                return new Ping(in.readLong());
            case PONG:
                return new Pong();
            case FORWARD: {
                byte[] payload = in.readBuffer();
                if (payload == null) {
                    throw new MarshallingException("forward without payload");
                }
                return new Forward(payload);
            }
            case REESTABLISH:
                return new Reestablish();
            case STEP_DOWN:
                return new StepDown();
            case SYNC_REQUEST:
                return new Message.SyncRequest(in.readLong());
            case SYNC_REPLY:
                return new Message.SyncReply(in.readLong(), in.readLong());
            case TOUCHES: {
                int n = in.readInt();
                if (n < 0 || n > in.remaining() / 8) {
                    throw new MarshallingException("bad session count " + n);
                }
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readLong();
                }
                return new Message.Touches(ids);
            }
            default:
                throw new MarshallingException("unknown body type " + type);
        }
    }
}
