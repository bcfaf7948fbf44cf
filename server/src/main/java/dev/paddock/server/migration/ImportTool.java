package dev.paddock.server.migration;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code bin/paddock import <zoo.cfg>}: imports the ZooKeeper data of the zoo.cfg's dataDir (and dataLogDir)
 * into Paddock's layout beside it and prints what it read. Exit status 0 when imported, 1 when the files
 * cannot be imported or Paddock data is already there, 2 for a bad zoo.cfg.
 */
public final class ImportTool {
    private ImportTool() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: paddock import <zoo.cfg>");
            System.exit(2);
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.out.println(ZooKeeperImport.run(config).describe());
        } catch (IOException e) {
            System.err.println("Import failed, nothing written: " + e.getMessage());
            System.exit(1);
        }
    }
}
