package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the payload of one log entry: TxnHeader, the record its type selects, then an optional TxnDigest
 * ({@code int version, long digest}, written by 3.6+ with digests enabled). Optional parts are told apart
 * by the bytes that remain, never by trying and catching: a header-only closeSession followed by a digest
 * leaves exactly 12 bytes, which are the digest and not a list of paths.
 */
public final class ZkTxnDecoder {
    private static final int DIGEST_BYTES = 12;
    private static final int MAX_FIELD = 256 << 20;

    private final Path file;
    private final long base;
    private final ByteBuffer b;

    private ZkTxnDecoder(Path file, long base, byte[] payload) {
        this.file = file;
        this.base = base;
        this.b = ByteBuffer.wrap(payload);
    }

    /** @param base the file offset of the payload, for messages */
    public static ZkTxn.Entry decode(Path file, long base, byte[] payload) throws ImportException {
        ZkTxnDecoder d = new ZkTxnDecoder(file, base, payload);
        try {
            return d.entry();
        } catch (BufferUnderflowException e) {
            throw ImportException.at(file, base + d.b.position(), "transaction record ends early");
        }
    }

    private ZkTxn.Entry entry() throws ImportException {
        long session = b.getLong();
        int cxid = b.getInt();
        long zxid = b.getLong();
        long time = b.getLong();
        int type = b.getInt();
        ZkTxn txn = switch (type) {
            case ZkTxn.CLOSE_SESSION -> closeSession();
            case ZkTxn.CREATE -> create(true);
            default -> record(type, true);
        };
        boolean digested = false;
        long digest = 0;
        if (b.remaining() == DIGEST_BYTES) {
            b.getInt();
            digest = b.getLong();
            digested = true;
        }
        if (b.hasRemaining()) {
            throw ImportException.at(file, base + b.position(), b.remaining()
                    + " unexpected bytes after the record of transaction type " + type + " zxid 0x"
                    + Long.toHexString(zxid));
        }
        return new ZkTxn.Entry(session, cxid, zxid, time, type, txn, digested, digest);
    }

    private ZkTxn closeSession() throws ImportException {
        if (b.remaining() == 0 || b.remaining() == DIGEST_BYTES) {
            return new ZkTxn.CloseSession(null);
        }
        int n = count("paths to delete");
        List<String> paths = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            paths.add(string());
        }
        return new ZkTxn.CloseSession(paths);
    }

    /**
     * A CreateTxn; when nothing (or only a digest) follows the ephemeral flag it is the pre-3.3 CreateTxnV0,
     * read with parentCVersion -1 as ZooKeeper reads it.
     */
    private ZkTxn create(boolean topLevel) throws ImportException {
        String path = string();
        byte[] data = buffer();
        List<Acl> acl = acl();
        boolean ephemeral = b.get() != 0;
        int left = b.remaining();
        if (left == 0 || topLevel && left == DIGEST_BYTES) {
            return new ZkTxn.Create(path, data, acl, ephemeral, -1);
        }
        return new ZkTxn.Create(path, data, acl, ephemeral, b.getInt());
    }

    /** The record of a top-level transaction or of one multi op. */
    private ZkTxn record(int type, boolean topLevel) throws ImportException {
        return switch (type) {
            case ZkTxn.CREATE_SESSION -> new ZkTxn.CreateSession(b.getInt());
            case ZkTxn.CREATE, ZkTxn.CREATE2 -> create(topLevel);
            case ZkTxn.CREATE_TTL -> new ZkTxn.CreateTtl(string(), buffer(), acl(), b.getInt(), b.getLong());
            case ZkTxn.CREATE_CONTAINER -> new ZkTxn.CreateContainer(string(), buffer(), acl(), b.getInt());
            case ZkTxn.DELETE, ZkTxn.DELETE_CONTAINER -> new ZkTxn.Delete(string());
            case ZkTxn.SET_DATA, ZkTxn.RECONFIG -> new ZkTxn.SetData(string(), buffer(), b.getInt());
            case ZkTxn.SET_ACL -> new ZkTxn.SetAcl(string(), acl(), b.getInt());
            case ZkTxn.CHECK -> new ZkTxn.Check(string(), b.getInt());
            case ZkTxn.ERROR -> new ZkTxn.Error(b.getInt());
            case ZkTxn.MULTI -> multi();
            default -> throw ImportException.at(file, base + b.position() - 4, "unsupported transaction type " + type);
        };
    }

    private ZkTxn multi() throws ImportException {
        int n = count("multi operations");
        List<ZkTxn.Op> ops = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            int type = b.getInt();
            long at = base + b.position();
            byte[] data = buffer();
            if (data == null) {
                throw ImportException.at(file, at, "multi operation " + i + " has no record");
            }
            ZkTxn.Op op = subRecord(type, data, at + 4);
            ops.add(op);
        }
        return new ZkTxn.Multi(ops);
    }

    private ZkTxn.Op subRecord(int type, byte[] data, long at) throws ImportException {
        switch (type) {
            case ZkTxn.CREATE, ZkTxn.CREATE2, ZkTxn.CREATE_TTL, ZkTxn.CREATE_CONTAINER, ZkTxn.DELETE,
                 ZkTxn.DELETE_CONTAINER, ZkTxn.SET_DATA, ZkTxn.CHECK, ZkTxn.ERROR -> { }
            default -> throw ImportException.at(file, at, "operation type " + type + " cannot be inside a multi");
        }
        ZkTxnDecoder sub = new ZkTxnDecoder(file, at, data);
        try {
            ZkTxn txn = sub.record(type, false);
            // An ErrorTxn is read leniently (only its code), as ZooKeeper reads it; others must fill their bytes.
            if (type != ZkTxn.ERROR && sub.b.hasRemaining()) {
                throw ImportException.at(file, at + sub.b.position(), "bytes left in a multi operation");
            }
            return new ZkTxn.Op(type, txn);
        } catch (BufferUnderflowException e) {
            throw ImportException.at(file, at + sub.b.position(), "multi operation record ends early");
        }
    }

    private int count(String what) throws ImportException {
        int at = b.position();
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw ImportException.at(file, base + at, "bad count " + n + " of " + what);
        }
        return n;
    }

    private byte[] buffer() throws ImportException {
        int at = b.position();
        int len = b.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > b.remaining() || len > MAX_FIELD) {
            throw ImportException.at(file, base + at, "bad length " + len);
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    private String string() throws ImportException {
        byte[] s = buffer();
        return s == null ? null : new String(s, StandardCharsets.UTF_8);
    }

    private List<Acl> acl() throws ImportException {
        int at = b.position();
        int n = b.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > b.remaining()) {
            throw ImportException.at(file, base + at, "bad ACL count " + n);
        }
        List<Acl> acl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int perms = b.getInt();
            acl.add(new Acl(perms, new Id(string(), string())));
        }
        return acl;
    }
}
