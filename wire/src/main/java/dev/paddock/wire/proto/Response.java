package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteRecord;

/** The body of a reply. */
public interface Response extends JuteRecord {
}
