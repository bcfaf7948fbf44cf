package dev.paddock.server.quorum;

/** Short descriptions of messages for traces: the body's kind and the fields that matter for reading one. */
final class MessageText {
    private MessageText() {
    }

    static String of(Message message) {
        if (!(message instanceof Message.Linked l)) {
            return message.toString();
        }
        return of(l.body()) + " #" + l.seq() + " link " + Long.toHexString(l.link() & 0xffff);
    }

    static String of(Message.Body body) {
        if (body instanceof Message.Sync sync) {
            return "Sync[" + (sync.truncateTo() >= 0 ? "trunc " + Zxid.hex(sync.truncateTo()) + " " : "")
                    + (sync.snapshot() == null ? "" : "snap " + Zxid.hex(sync.snapshot().zxid()) + " of "
                            + sync.snapshot().sizeBytes() + " bytes, ")
                    + sync.entries().size() + " entries"
                    + (sync.entries().isEmpty() ? "" : " from " + Zxid.hex(sync.entries().get(0).zxid())) + "]";
        }
        if (body instanceof Message.SnapshotChunk c) {
            return "SnapshotChunk " + c.data().length + " bytes at " + c.offset();
        }
        if (body instanceof Message.SyncEntries e) {
            return "SyncEntries " + e.entries().size() + " entries"
                    + (e.entries().isEmpty() ? "" : " from " + Zxid.hex(e.entries().get(0).zxid()));
        }
        if (body instanceof Message.Proposal p) {
            return "Proposal " + Zxid.hex(p.entry().zxid());
        }
        if (body instanceof Message.Inform i) {
            return "Inform " + Zxid.hex(i.entry().zxid());
        }
        if (body instanceof Message.Commit c) {
            return "Commit " + Zxid.hex(c.zxid());
        }
        if (body instanceof Message.Ack a) {
            return (a.newLeader() ? "NEWLEADER ack " : "Ack ") + Zxid.hex(a.zxid());
        }
        if (body instanceof Message.NewLeader nl) {
            return "NewLeader epoch " + nl.epoch() + " at " + Zxid.hex(nl.zxid());
        }
        if (body instanceof Message.UpToDate u) {
            return "UpToDate " + Zxid.hex(u.commitZxid());
        }
        if (body instanceof Message.Forward) {
            return "Forward";
        }
        return body.toString();
    }
}
