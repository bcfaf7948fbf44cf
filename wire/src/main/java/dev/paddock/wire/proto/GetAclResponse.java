package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** The reply of getACL (6): the node's ACL and its stat. */
public record GetAclResponse(List<Acl> acl, Stat stat) implements Response {
    public static GetAclResponse read(JuteReader in) {
        return new GetAclResponse(in.readList(Acl::read, 12), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecordList(acl).writeRecord(stat);
    }

    @Override
    public int size() {
        return Sizes.recordList(acl) + Stat.SIZE;
    }
}
