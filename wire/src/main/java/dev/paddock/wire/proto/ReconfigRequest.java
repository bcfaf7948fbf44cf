package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/**
 * reconfig (16): incremental (joining/leaving, comma-separated server specs and ids) or non-incremental
 * (newMembers); {@code curConfigId} is the expected current config version, -1 for any.
 */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId)
        implements Request {
    public static ReconfigRequest read(JuteReader in) {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }

    @Override
    public OpCode opCode() {
        return OpCode.RECONFIG;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(joiningServers).writeString(leavingServers).writeString(newMembers).writeLong(curConfigId);
    }

    @Override
    public int size() {
        return Sizes.string(joiningServers) + Sizes.string(leavingServers) + Sizes.string(newMembers) + Sizes.LONG;
    }
}
