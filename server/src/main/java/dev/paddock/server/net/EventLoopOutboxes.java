package dev.paddock.server.net;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link EventLoopOutbox} per event loop of a listener. Looked up on a loop when its channel becomes
 * active, then used by the request thread only.
 */
final class EventLoopOutboxes {
    private final Map<EventLoop, EventLoopOutbox> byLoop = new ConcurrentHashMap<>();

    EventLoopOutbox forLoop(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, EventLoopOutbox::new);
    }
}
