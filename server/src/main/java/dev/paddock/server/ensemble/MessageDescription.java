package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Message;

/** One line per quorum message for trace logging: bulky bodies (entries, snapshots) by size only. */
final class MessageDescription {
    private MessageDescription() {
    }

    static String of(Message m) {
        if (m instanceof Message.Linked l) {
            Message.Body b = l.body();
            String body = b instanceof Message.Sync s ? "Sync[trunc=" + s.truncateTo() + ", snapshot="
                    + (s.snapshot() != null) + ", entries=" + s.entries().size() + "]"
                    : b instanceof Message.Proposal || b instanceof Message.Inform || b instanceof Message.Forward
                    ? b.getClass().getSimpleName() : b.toString();
            return body + " #" + l.seq() + " link " + Long.toHexString(l.link());
        }
        return m.toString();
    }
}
