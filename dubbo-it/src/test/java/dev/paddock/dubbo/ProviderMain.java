package dev.paddock.dubbo;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * A provider application in a JVM of its own, so that a test can SIGKILL it: exports {@link Greeter} as
 * {@code <providerId>} on {@code <port>} and says READY. It ends when its standard input closes (the test
 * JVM went away), so a failed run leaves no provider behind.
 *
 * <p>Arguments: {@code <connectString> <application> <providerId> <port> <registerMode> <version>}.
 */
public final class ProviderMain {
    private ProviderMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ProviderMain <connectString> <application> <providerId> <port> <registerMode> <version>");
            System.exit(2);
        }
        startWatchdog();
        DubboApp provider = DubboApp.provider(args[1], args[0], args[4], null, args[2], Integer.parseInt(args[3]),
                args[5]);
        System.out.println("READY " + args[2] + " " + args[3]);
        System.out.flush();
        new CountDownLatch(1).await(); // serves until killed
        provider.close();
    }

    /** Ends this JVM when the test JVM that started it goes away (its standard input closes). */
    static void startWatchdog() {
        Thread watchdog = new Thread(ProviderMain::haltWhenStdinCloses, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void haltWhenStdinCloses() {
        try {
            while (System.in.read() >= 0) {
                // nothing is sent; only the end of the stream matters
            }
        } catch (IOException ignored) {
            // a broken pipe is the same news as an end of stream
        }
        Runtime.getRuntime().halt(0);
    }
}
