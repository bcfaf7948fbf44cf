package dev.paddock.bench;

import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.SetDataRequest;
import java.util.List;

/**
 * What ZooKeeper's tree digest ({@code tree.ZooKeeperDigest}, {@code zookeeper.digest.enabled}) costs the
 * state machine: the same entries (setData of a 1 KiB value, or a create and a delete of a 100-byte node, over
 * 10,000 nodes) applied with the digest on and off, in alternating rounds on one thread, reported as
 * nanoseconds per applied entry. The state machine is all the digest touches; the rest of a write (the network,
 * the log and its fsync) is unchanged, so this is the whole of its cost. A main, not a test:
 * {@code java -cp <bench classpath> dev.paddock.bench.DigestCost [rounds]}.
 */
public final class DigestCost {
    private static final int NODES = 10_000;
    private static final int ENTRIES_PER_ROUND = 200_000;
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    private DigestCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        for (String kind : List.of("setData 1KiB", "create+delete 100B")) {
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < rounds; r++) {
                for (int on = 0; on < 2; on++) {
                    best[on] = Math.min(best[on], nanosPerEntry(kind, on == 1));
                }
            }
            System.out.printf("%-20s digest off %7.1f ns/entry, on %7.1f ns/entry (+%.1f ns, %+.1f%%)%n", kind,
                    best[0], best[1], best[1] - best[0], 100 * (best[1] - best[0]) / best[0]);
        }
    }

    private static double nanosPerEntry(String kind, boolean digest) {
        StateMachine sm = new StateMachine(false);
        if (!digest) {
            sm.disableZooKeeperDigest();
        }
        long zxid = 0;
        byte[] small = new byte[100];
        for (int i = 0; i < NODES; i++) {
            sm.apply(new Txn(++zxid, zxid, 1, IDS, new CreateRequest(OpCode.CREATE, "/n" + i, small, AclLists.OPEN, 0)));
        }
        byte[] value = new byte[1024];
        long start = System.nanoTime();
        for (int i = 0; i < ENTRIES_PER_ROUND; i++) {
            String path = "/n" + (i % NODES);
            if (kind.startsWith("setData")) {
                value[0] = (byte) i;
                sm.apply(new Txn(++zxid, zxid, 1, IDS, new SetDataRequest(path, value, -1)));
            } else if (i % 2 == 0) {
                sm.apply(new Txn(++zxid, zxid, 1, IDS, new CreateRequest(OpCode.CREATE, path + "/c", small,
                        AclLists.OPEN, 0)));
            } else {
                // The child the previous entry created.
                sm.apply(new Txn(++zxid, zxid, 1, IDS, new PathVersionRequest(OpCode.DELETE,
                        "/n" + ((i - 1) % NODES) + "/c", -1)));
            }
        }
        return (System.nanoTime() - start) / (double) ENTRIES_PER_ROUND;
    }
}
