package dev.paddock.server.request;

import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.proto.ReplyHeader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A client channel that records what the request layer asks of the network: replies, raw frames (handshake
 * answers), whether it was closed and how often reading resumed; it can be told to fail to encode some
 * reply bodies. Safe to read from the test thread while a request thread writes.
 */
final class RecordingChannel implements ClientChannel {
    final List<ReplyHeader> replies = new CopyOnWriteArrayList<>();
    final List<JuteRecord> raw = new CopyOnWriteArrayList<>();
    final AtomicInteger resumes = new AtomicInteger();
    volatile Predicate<JuteRecord> failOn = body -> false;
    volatile boolean closed;

    @Override
    public String remoteIp() {
        return "127.0.0.1";
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:1";
    }

    @Override
    public int write(ReplyHeader header, JuteRecord body) {
        if (body != null && failOn.test(body)) {
            throw new IllegalStateException("injected: cannot encode " + body.getClass().getSimpleName());
        }
        replies.add(header);
        return header.size() + (body == null ? 0 : body.size());
    }

    @Override
    public void writeRaw(JuteRecord record) {
        raw.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        closed = true;
    }

    @Override
    public boolean overloaded() {
        return false;
    }

    @Override
    public void resumeReading() {
        resumes.incrementAndGet();
    }

    @Override
    public boolean reading() {
        return true;
    }
}
