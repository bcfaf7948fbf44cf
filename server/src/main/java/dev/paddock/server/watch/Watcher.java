package dev.paddock.server.watch;

/** Where a watch's event goes: a client connection. */
public interface Watcher {
    void sendEvent(EventType type, String path, long zxid);
}
