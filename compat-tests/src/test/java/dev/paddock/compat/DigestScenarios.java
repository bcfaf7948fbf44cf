package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.ServerSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's tree digest (digest version 2, {@code zookeeper.digest.enabled} on, its default): {@code hash}
 * prints one "zxid-in-hex: digest" line for every applied zxid divisible by 128, oldest first, and the
 * AdminServer's {@code hash} the same history as {@code digests} objects ({@code zxid}, {@code digest},
 * {@code digest_version}). The value at a zxid is the digest of the tree as any client can read it right then:
 * the wrapping sum over every node outside {@code /zookeeper/} of the CRC32 of its path (the root as ""), its
 * data and its persisted stat (cversion as child creates, i.e. (cversion + numChildren) / 2), which this
 * scenario computes from getData and getChildren and compares with the server's line for the last 128th zxid,
 * on both servers. mntr's {@code zk_digest_mismatches_count} is 0.
 */
public abstract class DigestScenarios extends CompatTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int adminPort = freePort();

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().zooCfg("4lw.commands.whitelist", "*")
                .zooCfg("admin.enableServer", "true")
                .zooCfg("admin.serverAddress", "127.0.0.1")
                .zooCfg("admin.serverPort", Integer.toString(adminPort))
                // ZooKeeper copies zoo.cfg's admin keys to these process-wide properties; restored at close.
                .systemProperty("zookeeper.admin.enableServer", "true")
                .systemProperty("zookeeper.admin.serverPort", Integer.toString(adminPort))
                .systemProperty("zookeeper.admin.serverAddress", "127.0.0.1");
    }

    @Test
    void theDigestAtEvery128thZxidIsTheTreeAsClientsSeeIt() throws Exception {
        ZooKeeper zk = connect();
        String node = base + "/n";
        // Some of everything a digest covers: data and none, an ephemeral, sequential names, an ACL change,
        // a delete (cversion and numChildren apart).
        zk.create(node, "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(base + "/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(base + "/s-", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        zk.create(base + "/gone", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete(base + "/gone", -1);
        zk.setACL(node, ZooDefs.Ids.READ_ACL_UNSAFE.stream().map(a -> new ACL(ZooDefs.Perms.ALL, a.getId())).toList(),
                -1);
        for (int round = 0; round < 2; round++) {
            long zxid = writeUpTo128th(zk, node);
            Map<Long, Long> lines = hashLines();
            assertThat(lines).containsKey(zxid);
            long seen = digestAsClientsSeeIt(zk, zxid);
            assertThat(lines.get(zxid)).as("hash at 0x%x", zxid).isEqualTo(seen);
            assertThat(adminDigests()).containsEntry(zxid, seen);
        }
    }

    @Test
    void hashListsEvery128thZxidOldestFirst() throws Exception {
        ZooKeeper zk = connect();
        String node = base + "/n";
        zk.create(node, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long last = writeUpTo128th(zk, node);
        String out = FourLetterWords.send(server.clientPort(), "hash");
        long previous = 0;
        for (String line : out.split("\n")) {
            assertThat(line).matches("[0-9a-f]+: -?\\d+");
            long zxid = Long.parseLong(line.substring(0, line.indexOf(':')), 16);
            assertThat(zxid % 128).isZero();
            assertThat(zxid).isGreaterThan(previous);
            previous = zxid;
        }
        assertThat(previous).isEqualTo(last);
        JsonNode json = adminHash();
        assertThat(json.path("command").asText()).isEqualTo("hash");
        assertThat(json.path("error").isNull()).isTrue();
        JsonNode first = json.path("digests").get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("zxid", "digest", "digest_version");
        assertThat(first.path("digest_version").asInt()).isEqualTo(2);
        assertThat(mntr("zk_digest_mismatches_count")).isEqualTo("0");
    }

    /** setData on {@code node} until the last zxid is divisible by 128; returns that zxid. */
    private static long writeUpTo128th(ZooKeeper zk, String node) throws Exception {
        long zxid;
        int i = 0;
        do {
            Stat s = zk.setData(node, ("v" + i++).getBytes(StandardCharsets.UTF_8), -1);
            zxid = s.getMzxid();
        } while (zxid % 128 != 0);
        return zxid;
    }

    /**
     * The digest of the tree as read by {@code zk}, checked to be the tree at {@code zxid}: srvr's last zxid
     * is still {@code zxid} after the reads (nothing else writes in this class; a session expiring would).
     */
    private long digestAsClientsSeeIt(ZooKeeper zk, long zxid) throws Exception {
        long sum = add(zk, "/", 0);
        assertThat(srvrZxid()).as("no entry applied while the tree was read").isEqualTo(zxid);
        return sum;
    }

    private static long add(ZooKeeper zk, String path, long sum) throws Exception {
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        sum += term(path, data, stat);
        for (String child : zk.getChildren(path, false)) {
            String childPath = path.equals("/") ? "/" + child : path + "/" + child;
            if (!childPath.startsWith("/zookeeper/")) {
                sum = add(zk, childPath, sum);
            }
        }
        return sum;
    }

    private static long term(String path, byte[] data, Stat stat) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.putLong(stat.getCzxid()).putLong(stat.getMzxid()).putLong(stat.getPzxid()).putLong(stat.getCtime())
                .putLong(stat.getMtime()).putInt(stat.getVersion())
                .putInt((stat.getCversion() + stat.getNumChildren()) / 2).putInt(stat.getAversion())
                .putLong(stat.getEphemeralOwner());
        CRC32 crc = new CRC32();
        crc.update((path.equals("/") ? "" : path).getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            crc.update(data);
        }
        crc.update(b.array());
        return crc.getValue();
    }

    private Map<Long, Long> hashLines() throws IOException {
        Map<Long, Long> lines = new LinkedHashMap<>();
        for (String line : FourLetterWords.send(server.clientPort(), "hash").split("\n")) {
            int colon = line.indexOf(": ");
            lines.put(Long.parseLong(line.substring(0, colon), 16), Long.parseLong(line.substring(colon + 2)));
        }
        return lines;
    }

    private Map<Long, Long> adminDigests() throws Exception {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (JsonNode d : adminHash().path("digests")) {
            m.put(d.path("zxid").asLong(), d.path("digest").asLong());
        }
        return m;
    }

    private JsonNode adminHash() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/commands/hash")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private long srvrZxid() throws IOException {
        for (String line : FourLetterWords.send(server.clientPort(), "srvr").split("\n")) {
            if (line.startsWith("Zxid: 0x")) {
                return Long.parseLong(line.substring("Zxid: 0x".length()), 16);
            }
        }
        throw new AssertionError("srvr has no Zxid line");
    }

    private String mntr(String key) throws IOException {
        for (String line : FourLetterWords.send(server.clientPort(), "mntr").split("\n")) {
            String[] kv = line.split("\t");
            if (kv[0].equals(key)) {
                return kv[1].strip();
            }
        }
        throw new AssertionError("mntr has no " + key);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
