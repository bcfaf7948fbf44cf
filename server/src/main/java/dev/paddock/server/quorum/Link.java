package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Body;
import dev.paddock.server.quorum.Message.Linked;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One end of a leader-learner link. It numbers what it sends and hands on what it receives strictly in
 * order: duplicates are dropped, early arrivals wait in a bounded buffer for the gap to fill, and a gap
 * that stays open (a lost message) breaks the link, so a proposal is never silently skipped.
 */
final class Link {
    /** Messages that may wait for an earlier one; more than this and the link is considered broken. */
    private static final int MAX_EARLY = 1024;
    /** Ticks a gap may stay open before the missing message counts as lost. */
    private static final int MAX_GAP_TICKS = 2;

    final long nonce;
    final int peer;
    private final Host host;
    private final TreeMap<Long, Linked> early = new TreeMap<>();
    private long nextSendSeq;
    private long nextReceiveSeq;
    private int gapTicks;

    Link(long nonce, int peer, Host host) {
        this.nonce = nonce;
        this.peer = peer;
        this.host = host;
    }

    void send(Body body) {
        host.send(peer, new Linked(nonce, nextSendSeq++, body));
    }

    /** Sends the link's opening message (number 0) again; the receiver keeps only the first copy. */
    void resendOpening(Body body) {
        host.send(peer, new Linked(nonce, 0, body));
    }

    boolean belongs(Linked message) {
        return message.link() == nonce;
    }

    /**
     * Accepts a message of this link; returns the messages now deliverable in order (maybe none), or null
     * when the link is broken.
     */
    List<Linked> receive(Linked message) {
        long seq = message.seq();
        if (seq < nextReceiveSeq || early.containsKey(seq)) {
            return List.of();
        }
        if (seq > nextReceiveSeq) {
            early.put(seq, message);
            return early.size() > MAX_EARLY ? null : List.of();
        }
        List<Linked> ready = new ArrayList<>(1 + early.size());
        ready.add(message);
        nextReceiveSeq++;
        while (!early.isEmpty() && early.firstKey() == nextReceiveSeq) {
            ready.add(early.pollFirstEntry().getValue());
            nextReceiveSeq++;
        }
        if (early.isEmpty()) {
            gapTicks = 0;
        }
        return ready;
    }

    /** Called every tick; false when a gap has stayed open too long. */
    boolean healthy() {
        if (early.isEmpty()) {
            return true;
        }
        return ++gapTicks <= MAX_GAP_TICKS;
    }

    /** For a link opened by the peer's first message, which the opener numbered 0. */
    void acceptedFirst() {
        nextReceiveSeq = 1;
    }
}
