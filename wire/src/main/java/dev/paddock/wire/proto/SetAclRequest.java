package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** setACL (7): a new ACL for a path if its ACL version matches ({@code -1} for any). */
public record SetAclRequest(String path, List<Acl> acl, int version) implements Request {
    public static SetAclRequest read(JuteReader in) {
        return new SetAclRequest(in.readString(), in.readList(Acl::read, 12), in.readInt());
    }

    @Override
    public OpCode opCode() {
        return OpCode.SET_ACL;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeRecordList(acl).writeInt(version);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.recordList(acl) + Sizes.INT;
    }
}
