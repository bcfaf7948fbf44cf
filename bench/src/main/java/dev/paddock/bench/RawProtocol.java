package dev.paddock.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.jute.Record;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * The client protocol spoken directly with the reference jute records, for measurements where the
 * reference client's two threads per session would be the bottleneck (10,000 watchers, session churn)
 * or where its randomized reconnect back-off would blur the figure (time to first read after restart).
 */
final class RawProtocol {
    static final int XID_NOTIFICATION = -1;
    static final int XID_PING = -2;

    private RawProtocol() {
    }

    static byte[] frame(Record... records) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            for (Record r : records) {
                r.serialize(new org.apache.jute.BinaryOutputArchive(out), "");
            }
            out.flush();
            byte[] b = bytes.toByteArray();
            ByteBuffer.wrap(b).putInt(0, b.length - 4);
            return b;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] connectFrame(int timeoutMs) {
        return frame(new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false));
    }

    static byte[] request(int xid, int opcode, Record body) {
        return body == null ? frame(new RequestHeader(xid, opcode)) : frame(new RequestHeader(xid, opcode), body);
    }

    static byte[] closeFrame(int xid) {
        return request(xid, ZooDefs.OpCode.closeSession, null);
    }

    static byte[] pingFrame() {
        return request(XID_PING, ZooDefs.OpCode.ping, null);
    }

    static byte[] readFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int len = d.readInt();
        if (len < 0 || len > 16 << 20) {
            throw new IOException("bad frame length " + len);
        }
        byte[] b = new byte[len];
        d.readFully(b);
        return b;
    }

    static ConnectResponse parseConnectResponse(byte[] frame) throws IOException {
        ConnectResponse r = new ConnectResponse();
        r.readFields(new DataInputStream(new java.io.ByteArrayInputStream(frame)));
        return r;
    }

    static ReplyHeader parseReplyHeader(byte[] frame) throws IOException {
        ReplyHeader h = new ReplyHeader();
        h.deserialize(new org.apache.jute.BinaryInputArchive(
                new DataInputStream(new java.io.ByteArrayInputStream(frame))), "");
        return h;
    }

    /** A blocking session on one socket: connect handshake, then one request at a time. */
    static final class BlockingSession implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final long sessionId;
        private int xid = 1;

        BlockingSession(int port, int timeoutMs, int soTimeoutMs) throws IOException {
            socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), soTimeoutMs);
                socket.setSoTimeout(soTimeoutMs);
                in = new java.io.BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
                out.write(connectFrame(timeoutMs));
                out.flush();
                ConnectResponse r = parseConnectResponse(readFrame(in));
                if (r.getSessionId() == 0) {
                    throw new EOFException("session refused");
                }
                sessionId = r.getSessionId();
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        /** Sends getData and returns the reply's error code (0 = OK). */
        int getData(String path) throws IOException {
            out.write(request(xid++, ZooDefs.OpCode.getData, new GetDataRequest(path, false)));
            out.flush();
            while (true) {
                ReplyHeader h = parseReplyHeader(readFrame(in));
                if (h.getXid() >= 0) {
                    return h.getErr();
                }
            }
        }

        /** Sends closeSession and waits for its reply. */
        void closeSession() throws IOException {
            out.write(closeFrame(xid++));
            out.flush();
            while (true) {
                ReplyHeader h = parseReplyHeader(readFrame(in));
                if (h.getXid() >= 0) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
