package dev.paddock.server.migration;

import dev.paddock.server.config.ServerConfig;
import java.io.IOException;

/**
 * {@code bin/paddock import <zoo.cfg>}: imports the ZooKeeper data of the zoo.cfg's dataDir (and dataLogDir)
 * into Paddock's layout beside it and prints what it read. Exit status 0 when imported, 1 when the files
 * cannot be imported or Paddock data is already there, 2 for a bad zoo.cfg.
 */
public final class ImportTool {
    private ImportTool() {
    }

    public static void main(String[] args) {
        ServerConfig config = ToolConfig.fromArgs(args, "paddock import <zoo.cfg>");
        try {
            System.out.println(ZooKeeperImport.run(config).describe());
        } catch (IOException e) {
            System.err.println("Import failed, nothing written: " + e.getMessage());
            System.exit(1);
        }
    }
}
