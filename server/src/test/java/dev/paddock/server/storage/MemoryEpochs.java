package dev.paddock.server.storage;

/**
 * Epochs kept in memory, for tests that run {@link ReplicaLog} without files: every write is "durable" at
 * once, and the values survive whatever the test calls a crash as long as it keeps this object.
 */
public class MemoryEpochs implements Epochs {
    private long acceptedEpoch;
    private int acceptedLeader = -1;
    private long currentEpoch;

    @Override
    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    @Override
    public int acceptedLeader() {
        return acceptedLeader;
    }

    @Override
    public void accept(long epoch, int leaderId) {
        acceptedEpoch = epoch;
        acceptedLeader = leaderId;
    }

    @Override
    public long currentEpoch() {
        return currentEpoch;
    }

    @Override
    public void setCurrent(long epoch) {
        currentEpoch = epoch;
    }
}
