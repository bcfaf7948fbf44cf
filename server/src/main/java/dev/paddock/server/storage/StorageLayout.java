package dev.paddock.server.storage;

import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * Where a server's files live, the same in every mode: snapshots and the epoch files in
 * {@code <dataDir>/paddock-1/}, log segments in {@code <dataLogDir>/paddock-1/} (dataLogDir defaults to
 * dataDir), so they never mix with ZooKeeper's {@code version-2/}.
 */
public record StorageLayout(Path snapDir, Path logDir) {
    public static StorageLayout of(ServerConfig config) {
        return new StorageLayout(config.dataDir().resolve(LogFormat.SUBDIR), config.dataLogDir().resolve(LogFormat.SUBDIR));
    }

    /** Where members kept their replica log before standalone and ensembles shared one log. */
    public Path legacyMemberDir() {
        return logDir.resolve("quorum");
    }
}
