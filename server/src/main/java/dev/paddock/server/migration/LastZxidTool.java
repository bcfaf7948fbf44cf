package dev.paddock.server.migration;

import dev.paddock.server.config.ServerConfig;
import java.io.IOException;

/**
 * {@code bin/paddock lastzxid <zoo.cfg>}: prints the newest zxid in the ZooKeeper files ({@code version-2}) of
 * the zoo.cfg's dataDir and dataLogDir ({@link ZkLastZxid}). The cut-over's check: run it on every stopped
 * ZooKeeper voter and every stopped Paddock mirror before the mirrors restart as Paddock members. Exit
 * status 0, 1 when a file cannot be read, 2 for a bad zoo.cfg.
 */
public final class LastZxidTool {
    private LastZxidTool() {
    }

    public static void main(String[] args) {
        ServerConfig config = ToolConfig.fromArgs(args, "paddock lastzxid <zoo.cfg>");
        try {
            System.out.println(ZkLastZxid.of(config.dataDir(), config.dataLogDir()).describe());
        } catch (IOException e) {
            System.err.println("Cannot read the ZooKeeper files: " + e.getMessage());
            System.exit(1);
        }
    }
}
