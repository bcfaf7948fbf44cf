package dev.paddock.wire.proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;

/** Converts our values to the reference jute classes and runs the reference codec. */
final class Reference {
    private Reference() {
    }

    static byte[] serialize(Record record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            record.serialize(BinaryOutputArchive.getArchive(bytes), "");
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code bytes} into a fresh instance of the reference record's class. */
    static Record deserialize(Class<? extends Record> type, byte[] bytes) throws IOException {
        try {
            Record record = type.getDeclaredConstructor().newInstance();
            record.deserialize(BinaryInputArchive.getArchive(new java.io.ByteArrayInputStream(bytes)), "");
            return record;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static org.apache.zookeeper.data.Stat stat(Stat s) {
        return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(),
                s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid());
    }

    static org.apache.zookeeper.data.Id id(Id id) {
        return new org.apache.zookeeper.data.Id(id.scheme(), id.id());
    }

    static ACL acl(Acl a) {
        return new ACL(a.perms(), id(a.id()));
    }

    static List<ACL> acls(List<Acl> acls) {
        return acls == null ? null : acls.stream().map(Reference::acl).toList();
    }
}
