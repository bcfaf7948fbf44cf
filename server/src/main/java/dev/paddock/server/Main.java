package dev.paddock.server;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry: {@code Main [zoo.cfg]}. Without a file, the embedded default (standalone on
 * 127.0.0.1:2181, data under ./data).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = args.length == 0 ? ServerConfig.embeddedDefault() : ServerConfig.load(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        PaddockServer server;
        try {
            server = PaddockServer.start(config);
        } catch (java.net.BindException e) {
            System.err.println("Cannot listen on " + config.clientAddress() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (java.io.IOException e) {
            // Recovery or storage refused to start; the message names the file.
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "paddock-shutdown"));
        stopped.await();
    }
}
