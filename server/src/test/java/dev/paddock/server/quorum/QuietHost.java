package dev.paddock.server.quorum;

/**
 * A host for tests of one member's logic on its own: it sends nothing anywhere and keeps no state, and a
 * member that asks it for a snapshot is a test mistake. Tests override what they need to see.
 */
class QuietHost implements Host {
    @Override
    public void send(int to, Message message) {
    }

    @Override
    public void apply(Entry entry) {
    }

    @Override
    public Snapshot snapshot() {
        throw new UnsupportedOperationException("a quiet host keeps no state");
    }

    @Override
    public void install(Snapshot snapshot) {
    }
}
