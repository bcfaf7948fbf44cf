package dev.paddock.server.storage;

/**
 * A member's two epochs, durable when each setter returns (the protocol sends the promise right after):
 * {@code acceptedEpoch} with the leader it was promised to, and {@code currentEpoch}, the epoch of the
 * last leader this member fully synchronised with. {@link EpochFiles} keeps them beside the snapshots; the
 * glue simulation keeps them on its simulated disk, where they survive crashes.
 */
public interface Epochs {
    long acceptedEpoch();

    int acceptedLeader();

    void accept(long epoch, int leaderId);

    long currentEpoch();

    void setCurrent(long epoch);
}
