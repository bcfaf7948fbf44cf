package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** One authenticated identity of a session, as whoAmI (107) reports it (ZooKeeper's data.ClientInfo). */
public record ClientInfo(String authScheme, String user) implements JuteRecord {
    public static ClientInfo read(JuteReader in) {
        return new ClientInfo(in.readString(), in.readString());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(authScheme).writeString(user);
    }

    @Override
    public int size() {
        return Sizes.string(authScheme) + Sizes.string(user);
    }
}
