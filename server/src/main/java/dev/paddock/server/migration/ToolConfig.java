package dev.paddock.server.migration;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;

/** The one argument the migration tools take, a zoo.cfg: read it, or exit with status 2 saying why. */
final class ToolConfig {
    private ToolConfig() {
    }

    static ServerConfig fromArgs(String[] args, String usage) {
        if (args.length != 1) {
            System.err.println("Usage: " + usage);
            System.exit(2);
        }
        try {
            return ServerConfig.load(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            throw new IllegalStateException("unreachable", e);
        }
    }
}
