package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** The reply of whoAmI (107): the session's authenticated identities. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements Response {
    public static WhoAmIResponse read(JuteReader in) {
        return new WhoAmIResponse(in.readList(ClientInfo::read, 8));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecordList(clientInfo);
    }

    @Override
    public int size() {
        return Sizes.recordList(clientInfo);
    }
}
