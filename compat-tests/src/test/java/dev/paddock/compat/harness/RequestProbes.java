package dev.paddock.compat.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.jute.Record;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * Runs a table of raw requests, each on a fresh session, and compares what the server answered with a
 * table of expected outcomes. A probe may first send other requests on its session (an addauth, a create)
 * whose answers are read and ignored. The outcome of a probe is "err=N", then, for an answered multi or
 * multiRead, its per-operation results ("E-n" for an error, the result's type otherwise), then whatever
 * the scenario's renderer makes of the answer's body, then ", then closed" when the server drops the
 * connection after answering. A failing comparison prints the whole table as this server answered it, in
 * the form the scenario writes its expectations, so a new row is written by running it on ZooKeeper.
 */
public final class RequestProbes {
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(5);

    /** One request sent before the probe on the same session; its answer is skipped. */
    public record Frame(int xid, int opcode, byte[] body) {
    }

    /** The request whose answer is the outcome, and the requests that prepare its session. */
    public record Probe(List<Frame> before, int xid, int opcode, byte[] body) {
        public Probe after(Frame... frames) {
            List<Frame> all = new ArrayList<>(List.of(frames));
            all.addAll(before);
            return new Probe(all, xid, opcode, body);
        }
    }

    private final int port;
    private final BodyRenderer bodyRenderer;
    private final String label;

    /** What a scenario shows of a successful answer's body ("" for nothing). */
    @FunctionalInterface
    public interface BodyRenderer {
        String render(int opcode, RawClient.Reply reply) throws IOException;
    }

    public RequestProbes(int port, String label, BodyRenderer bodyRenderer) {
        this.port = port;
        this.label = label;
        this.bodyRenderer = bodyRenderer;
    }

    public static Probe probe(int opcode, Record body) throws IOException {
        return new Probe(List.of(), 1, opcode, bytes(body));
    }

    public static Probe multi(int opcode, byte[]... ops) {
        return new Probe(List.of(), 1, opcode, ops(ops));
    }

    public static Frame frame(int xid, int opcode, Record body) throws IOException {
        return new Frame(xid, opcode, bytes(body));
    }

    /** One operation of a multi: its header, then its body. */
    public static byte[] op(int type, Record body) throws IOException {
        return concat(bytes(new MultiHeader(type, false, -1)), bytes(body));
    }

    /** The operations of a multi followed by the closing header. */
    public static byte[] ops(byte[]... ops) {
        try {
            return concat(concat(ops), bytes(new MultiHeader(-1, true, -1)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] bytes(Record body) throws IOException {
        return body == null ? new byte[0] : RawClient.serialize(null, body);
    }

    /** Runs every probe and asserts that the outcomes are exactly the expected ones, in order. */
    public void check(Map<String, Probe> cases, Map<String, String> expected) throws Exception {
        Map<String, String> actual = new LinkedHashMap<>();
        for (Map.Entry<String, Probe> e : cases.entrySet()) {
            actual.put(e.getKey(), outcome(e.getValue()));
        }
        assertTable(label, actual, expected);
    }

    /** Asserts a table of outcomes; on failure prints it as this server gave it, as Java source. */
    public static void assertTable(String label, Map<String, String> actual, Map<String, String> expected) {
        StringBuilder table = new StringBuilder("outcomes on " + label + ":\n");
        actual.forEach((k, v) -> table.append("        expected.put(\"").append(k).append("\", \"")
                .append(v.replace("\"", "\\\"")).append("\");\n"));
        assertThat(actual).as(table.toString()).containsExactlyEntriesOf(expected);
    }

    private String outcome(Probe p) throws Exception {
        try (RawClient c = RawClient.session(port, 30_000)) {
            c.readTimeout(REPLY_WITHIN);
            for (Frame f : p.before()) {
                c.sendFrame(concat(RawClient.serialize(new RequestHeader(f.xid(), f.opcode()), null), f.body()));
                skipTo(c, f.xid());
            }
            c.sendFrame(concat(RawClient.serialize(new RequestHeader(p.xid(), p.opcode()), null), p.body()));
            RawClient.Reply r;
            try {
                r = skipTo(c, p.xid());
            } catch (SocketTimeoutException e) {
                return "no answer";
            } catch (IOException e) {
                return "closed without an answer";
            }
            StringBuilder out = new StringBuilder("err=" + r.err());
            if ((p.opcode() == OpCode.multi || p.opcode() == OpCode.multiRead) && r.err() == 0) {
                out.append(" results=").append(results(r));
            }
            if (r.err() == 0) {
                String body = bodyRenderer.render(p.opcode(), r);
                if (!body.isEmpty()) {
                    out.append(' ').append(body);
                }
            }
            out.append(alive(c) ? "" : ", then closed");
            return out.toString();
        }
    }

    /** Reads up to the reply with this xid, skipping watch events and other answers. */
    private static RawClient.Reply skipTo(RawClient c, int xid) throws IOException {
        while (true) {
            RawClient.Reply r = c.read();
            if (r.header().getXid() == xid) {
                return r;
            }
        }
    }

    /** Whether the connection still answers a ping (a server that drops it closes it instead). */
    private static boolean alive(RawClient c) {
        try {
            c.sendFrame(RawClient.serialize(new RequestHeader(-2, OpCode.ping), null));
            skipTo(c, -2);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String results(RawClient.Reply r) throws IOException {
        List<String> out = new ArrayList<>();
        for (OpResult res : r.as(new MultiResponse()).getResultList()) {
            out.add(res instanceof OpResult.ErrorResult err ? "E" + err.getErr() : Integer.toString(res.getType()));
        }
        return out.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
