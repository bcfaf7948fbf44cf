package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.storage.EntryPayload;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.Txn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a member told a client was committed at zxid Z is the entry every member applies at Z: that
 * client's session and request, with the result the client was given; and once the ensemble is healed
 * every member has applied it, whatever crashed, was truncated or restarted on the way.
 */
final class AcknowledgedWritesSurvive implements GlueInvariant {
    private record Committed(long sessionId, byte[] request, String result) {
    }

    private final Map<Long, Committed> committed = new HashMap<>();
    private final List<SimClients.Ack> unchecked = new ArrayList<>();
    private final List<SimClients.Ack> acknowledged = new ArrayList<>();

    @Override
    public void applied(SimNode node, Entry entry, ApplyResult result) {
        if (!committed.containsKey(entry.zxid())) {
            Txn txn = EntryPayload.decode(entry.zxid(), entry.payload()).txn();
            committed.put(entry.zxid(), new Committed(txn.sessionId(), SimClients.bytesOf(txn.request()),
                    describe(result)));
        }
    }

    private static String describe(ApplyResult result) {
        return result.error() + " " + result.response();
    }

    @Override
    public void acknowledged(SimClients.Ack ack) {
        unchecked.add(ack);
    }

    @Override
    public void afterEvent(GlueSimulation sim) {
        for (SimClients.Ack ack : unchecked) {
            Committed c = committed.get(ack.zxid());
            String what = "member " + ack.memberId() + " told client " + ack.clientId() + " that its "
                    + ack.request().opCode() + " committed at " + Zxid.hex(ack.zxid());
            if (c == null) {
                throw violation(what + ", but no member applied that zxid");
            }
            if (c.sessionId() != ack.sessionId() || !Arrays.equals(c.request(), ack.requestBytes())) {
                throw violation(what + ", but that zxid holds another request (session 0x"
                        + Long.toHexString(c.sessionId()) + ")");
            }
            if (!c.result().equals(describe(ack.result()))) {
                throw violation(what + " with result " + describe(ack.result()) + ", but it applied as " + c.result());
            }
            acknowledged.add(ack);
        }
        unchecked.clear();
    }

    @Override
    public void converged(GlueSimulation sim) {
        for (SimClients.Ack ack : acknowledged) {
            for (SimNode node : sim.nodes()) {
                if (node.stateMachine.lastZxid() < ack.zxid()) {
                    throw violation("member " + node.id + " is at " + Zxid.hex(node.stateMachine.lastZxid())
                            + " after healing, before the acknowledged " + Zxid.hex(ack.zxid()));
                }
            }
        }
    }

    int count() {
        return acknowledged.size();
    }
}
