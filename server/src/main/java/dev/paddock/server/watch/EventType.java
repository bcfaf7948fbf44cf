package dev.paddock.server.watch;

/** ZooKeeper's Watcher.Event.EventType values. */
public enum EventType {
    NONE(-1), NODE_CREATED(1), NODE_DELETED(2), NODE_DATA_CHANGED(3), NODE_CHILDREN_CHANGED(4);

    public final int code;

    EventType(int code) {
        this.code = code;
    }
}
