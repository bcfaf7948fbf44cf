package dev.paddock.server.migration;

import java.util.HexFormat;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Child JVM main for {@link RealZooKeeper.Holder}: connects, creates the given ephemeral nodes, prints
 * {@code session <id hex> <password hex>} and waits to be killed.
 */
public final class EphemeralHolder {
    private EphemeralHolder() {
    }

    public static void main(String[] args) throws Exception {
        ZooKeeper zk = RealZooKeeper.client(args[0], Integer.parseInt(args[1]));
        for (int i = 2; i < args.length; i++) {
            zk.create(args[i], ("held by " + Long.toHexString(zk.getSessionId())).getBytes(),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        }
        System.out.println("session " + Long.toHexString(zk.getSessionId()) + " "
                + HexFormat.of().formatHex(zk.getSessionPasswd()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
