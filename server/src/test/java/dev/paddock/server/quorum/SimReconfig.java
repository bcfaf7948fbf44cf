package dev.paddock.server.quorum;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reconfiguration entries of the simulations: a client write (its write id first, as every test payload) that
 * asks for new voters and observers, resolved by the leader just before it is logged as ZooKeeper's leader
 * resolves one: refused while another is logged and not applied, or without a synced quorum of the new voters.
 *
 * <pre>
 * write id (8) | random (8) | MAGIC (4) | voters bit mask (4) | observers bit mask (4) | status (1)
 * </pre>
 */
final class SimReconfig {
    private static final int MAGIC = 0x52434647;
    private static final int SIZE = 29;
    private static final byte ASKED = 0;
    private static final byte ACCEPTED = 1;
    private static final byte REFUSED = 2;

    private SimReconfig() {
    }

    static byte[] ask(long writeId, long random, Set<Integer> voters, Set<Integer> observers) {
        return ByteBuffer.allocate(SIZE).putLong(writeId).putLong(random).putInt(MAGIC).putInt(mask(voters))
                .putInt(mask(observers)).put(ASKED).array();
    }

    static boolean isReconfig(byte[] payload) {
        return payload.length == SIZE && ByteBuffer.wrap(payload).getInt(16) == MAGIC;
    }

    /** The leader's resolution, as {@code Host.prepare}. */
    static byte[] prepare(byte[] payload, Host.LeaderView view) {
        if (!isReconfig(payload)) {
            return payload;
        }
        byte[] resolved = payload.clone();
        Set<Integer> voters = ids(ByteBuffer.wrap(payload).getInt(20));
        boolean ok = !view.configPending() && view.syncedQuorumOf(voters);
        resolved[SIZE - 1] = ok ? ACCEPTED : REFUSED;
        return resolved;
    }

    /** The configuration an accepted entry makes (version: its zxid), else null. */
    static Roster rosterOf(Entry entry) {
        byte[] p = entry.payload();
        if (!isReconfig(p) || p[SIZE - 1] != ACCEPTED) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(p);
        return new Roster(entry.zxid(), ids(b.getInt(20)), ids(b.getInt(24)));
    }

    static int mask(Set<Integer> ids) {
        int m = 0;
        for (int id : ids) {
            m |= 1 << id;
        }
        return m;
    }

    static Set<Integer> ids(int mask) {
        Set<Integer> ids = new TreeSet<>();
        for (int id = 0; id < 31; id++) {
            if ((mask & 1 << id) != 0) {
                ids.add(id);
            }
        }
        return ids;
    }
}
