package dev.paddock.compat.harness;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * A bare-bones protocol client built on the reference jute records: it sends exactly the frames
 * a test gives it, with none of the Java client's own checks (path validation, local watch
 * bookkeeping), and reports what comes back, including a connection closed by the server.
 */
public final class RawClient implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextXid = 1;

    public record Reply(ReplyHeader header, byte[] body) {
        public int err() {
            return header.getErr();
        }

        public <T extends Record> T as(T record) throws IOException {
            record.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(body)), "body");
            return record;
        }
    }

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawClient open(int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Opens a connection and establishes a new session. */
    public static RawClient session(int port, int timeoutMs) throws IOException {
        RawClient c = open(port);
        c.handshake(timeoutMs);
        return c;
    }

    public ConnectResponse handshake(int timeoutMs) throws IOException {
        sendFrame(serialize(null, new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false)));
        return readConnectResponse();
    }

    /** Reads the server's answer to a ConnectRequest sent with {@link #sendFrame}. */
    public ConnectResponse readConnectResponse() throws IOException {
        byte[] frame = readFrame();
        ConnectResponse r = new ConnectResponse();
        r.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(frame)), "connect");
        return r;
    }

    public static byte[] serialize(RequestHeader header, Record body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive a = BinaryOutputArchive.getArchive(bytes);
        if (header != null) {
            header.serialize(a, "header");
        }
        if (body != null) {
            body.serialize(a, "body");
        }
        return bytes.toByteArray();
    }

    /** Writes a 4-byte big-endian length and then the payload. */
    public void sendFrame(byte[] payload) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.write(payload);
        out.flush();
    }

    /** Writes bytes as they are: no length prefix. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one request with the next xid and returns that xid. */
    public int send(int opcode, Record body) throws IOException {
        int xid = nextXid++;
        sendFrame(serialize(new RequestHeader(xid, opcode), body));
        return xid;
    }

    /** Sends one request and returns its reply, skipping notifications and pings. */
    public Reply call(int opcode, Record body) throws IOException {
        int xid = send(opcode, body);
        while (true) {
            Reply r = read();
            if (r.header().getXid() == xid) {
                return r;
            }
            if (r.header().getXid() >= 0) {
                throw new IOException("reply out of order: expected xid " + xid + ", got " + r.header());
            }
        }
    }

    /** How long a read waits for the server before it fails with a SocketTimeoutException. */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    }

    public Reply read() throws IOException {
        byte[] frame = readFrame();
        ByteArrayInputStream bin = new ByteArrayInputStream(frame);
        ReplyHeader h = new ReplyHeader();
        h.deserialize(BinaryInputArchive.getArchive(bin), "header");
        return new Reply(h, bin.readAllBytes());
    }

    /** Reads one length-prefixed frame as it is. */
    public byte[] readFrame() throws IOException {
        int len = in.readInt();
        if (len < 0 || len > 64 * 1024 * 1024) {
            throw new IOException("bad frame length from server: " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    /**
     * Reads and discards whatever the server still sends; true if the server closes the
     * connection within the bound, false if it is still open then.
     */
    public boolean closedByServer(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buf = new byte[4096];
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, leftMs));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (EOFException | SocketException e) {
                return true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
