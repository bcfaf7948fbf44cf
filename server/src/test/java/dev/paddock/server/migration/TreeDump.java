package dev.paddock.server.migration;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Every node a client can see, walked from the root through the client API: its data, ACL and every Stat
 * field, one line per path. What a server serves, whichever server it is, so two dumps compare directly.
 */
final class TreeDump {
    private TreeDump() {
    }

    static Map<String, String> of(ZooKeeper zk) throws Exception {
        Map<String, String> out = new TreeMap<>();
        walk(zk, "/", out);
        return out;
    }

    private static void walk(ZooKeeper zk, String path, Map<String, String> out) throws Exception {
        StringBuilder b = new StringBuilder();
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData(path, false, stat);
            b.append("data=").append(data == null ? "null" : HexFormat.of().formatHex(data));
        } catch (KeeperException.NoAuthException e) {
            b.append("data=NoAuth");
            stat = null;
        }
        Stat aclStat = new Stat();
        String acl;
        try {
            acl = zk.getACL(path, aclStat).toString();
        } catch (KeeperException.NoAuthException e) {
            acl = "NoAuth";
        }
        // Without READ, exists is refused too; getACL (READ or ADMIN) gives the Stat then.
        b.append(" stat=").append(stat != null ? describe(stat) : acl.equals("NoAuth") ? "NoAuth" : describe(aclStat));
        b.append(" acl=").append(acl);
        List<String> children;
        try {
            children = zk.getChildren(path, false);
        } catch (KeeperException.NoAuthException e) {
            children = List.of();
            b.append(" children=NoAuth");
        }
        out.put(path, b.toString());
        for (String c : new java.util.TreeSet<>(children)) {
            walk(zk, path.equals("/") ? "/" + c : path + "/" + c, out);
        }
    }

    static String describe(Stat s) {
        return "czxid=0x" + Long.toHexString(s.getCzxid()) + ",mzxid=0x" + Long.toHexString(s.getMzxid())
                + ",pzxid=0x" + Long.toHexString(s.getPzxid()) + ",ctime=" + s.getCtime() + ",mtime=" + s.getMtime()
                + ",version=" + s.getVersion() + ",cversion=" + s.getCversion() + ",aversion=" + s.getAversion()
                + ",ephemeralOwner=0x" + Long.toHexString(s.getEphemeralOwner()) + ",dataLength=" + s.getDataLength()
                + ",numChildren=" + s.getNumChildren();
    }
}
