package dev.paddock.server.mirror;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A client writing one node after another ({@code <parent>/n-<i>} holding {@code i}) and recording every write
 * the server acknowledged, with its zxid and when the answer came, so that all of them can be checked after
 * a cut-over and the pause measured. A write whose outcome is unknown (connection lost before the answer) is
 * counted, not retried: the next one takes the next number.
 */
final class AckedWriter implements AutoCloseable {
    /** One acknowledged write: its number, its zxid and when the answer arrived (System.nanoTime). */
    record Ack(long seq, long zxid, long nanos) {
    }

    private final ZooKeeper zk;
    private final String parent;
    private final List<Ack> acks = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private long unknown;

    AckedWriter(ZooKeeper zk, String parent) {
        this.zk = zk;
        this.parent = parent;
        this.thread = new Thread(this::run, "acked-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (long i = 0; !stopped; i++) {
            try {
                Stat stat = new Stat();
                zk.create(parent + "/n-" + i, Long.toString(i).getBytes(StandardCharsets.US_ASCII),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
                long now = System.nanoTime();
                synchronized (this) {
                    acks.add(new Ack(i, stat.getCzxid(), now));
                }
            } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
                synchronized (this) {
                    unknown++;
                }
                pause();
            } catch (KeeperException e) {
                // Anything else (a session expired, a node that should not exist) is a failure of the cut-over.
                synchronized (this) {
                    failures.add(parent + "/n-" + i + ": " + e);
                }
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    synchronized int ackCount() {
        return acks.size();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized long unknown() {
        return unknown;
    }

    /** The first acknowledged write whose zxid is in an epoch above {@code epoch}, or null. */
    synchronized Ack firstAfterEpoch(long epoch) {
        for (Ack a : acks) {
            if ((a.zxid() >>> 32) > epoch) {
                return a;
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(60_000);
    }
}
