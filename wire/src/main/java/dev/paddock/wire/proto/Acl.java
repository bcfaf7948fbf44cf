package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;

/** One access control entry: permission bits for an identity. */
public record Acl(int perms, Id id) implements JuteRecord {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int CREATE = 4;
    public static final int DELETE = 8;
    public static final int ADMIN = 16;
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    public static Acl read(JuteReader in) {
        return new Acl(in.readInt(), Id.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(perms).writeRecord(id);
    }

    @Override
    public int size() {
        return 4 + id.size();
    }
}
