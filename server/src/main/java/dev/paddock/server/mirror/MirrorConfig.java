package dev.paddock.server.mirror;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a mirror needs to join a ZooKeeper ensemble as an observer: its own server id (ZooKeeper's myid; it
 * must be no voter's id), the voters' quorum addresses (only the leader listens there), and the ensemble's
 * timing, which ZooKeeper's learners take from their own zoo.cfg as well.
 *
 * @param maxPacketBytes the largest packet data accepted: ZooKeeper's jute.maxbuffer plus its extra size
 */
public record MirrorConfig(long myId, List<InetSocketAddress> voters, int tickTimeMs, int initLimit, int syncLimit,
                           boolean extendedTypes, int maxPacketBytes) {
    /** The zoo.cfg key that makes a server with {@code server.N} lines a ZooKeeper observer. */
    public static final String PROTOCOL_KEY = "quorumProtocol";

    public MirrorConfig {
        voters = List.copyOf(voters);
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("no voters to observe");
        }
    }

    /** Whether zoo.cfg asks for ZooKeeper's learner protocol ({@code quorumProtocol=zookeeper}). */
    public static boolean requested(ServerConfig config) throws ConfigException {
        String value = config.otherKeys().getOrDefault(PROTOCOL_KEY, "paddock").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "paddock" -> false;
            case "zookeeper" -> true;
            default -> throw new ConfigException(PROTOCOL_KEY + " must be paddock or zookeeper, not " + value);
        };
    }

    /** The mirror of the ensemble a zoo.cfg describes, from the point of view of its own {@code myid}. */
    public static MirrorConfig of(ServerConfig config, EnsembleConfig ensemble) throws ConfigException {
        List<InetSocketAddress> voters = new ArrayList<>();
        for (EnsembleConfig.Peer p : ensemble.peers().values()) {
            if (!p.observer()) {
                if (p.id() == ensemble.myId()) {
                    throw new ConfigException("server." + p.id() + " is this server: a ZooKeeper mirror must be"
                            + " listed as an observer (server." + p.id() + "=...:observer)");
                }
                voters.add(p.quorumAddress());
            }
        }
        return new MirrorConfig(ensemble.myId(), voters, config.tickTimeMs(), config.initLimit(), config.syncLimit(),
                config.extendedTypesEnabled(), config.juteMaxBufferBytes() + 0xfffff + 1024);
    }

    int initTimeoutMs() {
        return tickTimeMs * initLimit;
    }

    int syncTimeoutMs() {
        return tickTimeMs * syncLimit;
    }
}
