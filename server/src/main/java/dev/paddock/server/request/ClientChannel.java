package dev.paddock.server.request;

import dev.paddock.server.watch.WatchEvent;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.proto.ReplyHeader;

/**
 * The request layer's view of a client's network connection. Writes are buffered until {@link #flush()},
 * so a batch of replies leaves in one system call; they leave in the order they were written.
 */
public interface ClientChannel {
    String remoteIp();

    String remoteAddress();

    /** Queues a reply (header and optional body) for sending; returns its size without the length prefix. */
    int write(ReplyHeader header, JuteRecord body);

    /**
     * Queues a watch event whose encoded frame other connections share; the default encodes it again, a
     * network channel sends the shared bytes as they are.
     */
    default void writeEvent(WatchEvent event) {
        write(event.header(), event.body());
    }

    /** Queues a handshake answer, which has no reply header. */
    void writeRaw(JuteRecord record);

    void flush();

    /** Closes after everything written so far has been sent. */
    void close();

    /** Closes at once, dropping whatever is still queued (the client is not reading it). */
    void abort();

    /** True while more bytes are queued for the client than the connection may hold. */
    boolean overloaded();

    /** Lets the connection read again after it was paused for having too many requests outstanding. */
    void resumeReading();

    /** False while reading is paused (too many requests outstanding). */
    boolean reading();
}
