package dev.paddock.dubbo;

import java.util.concurrent.CountDownLatch;

/**
 * The scale measurement's provider, in a JVM of its own: exports {@code <services>} services
 * ({@link DubboApp#scaleInterface}) and prints {@code READY <id> <port> <ms the export and registration took>}.
 *
 * <p>Arguments: {@code <connectString> <application> <providerId> <port> <services>}.
 */
public final class ScaleProviderMain {
    private ScaleProviderMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ScaleProviderMain <connectString> <application> <providerId> <port> <services>");
            System.exit(2);
        }
        ProviderMain.startWatchdog();
        long started = System.nanoTime();
        DubboApp provider = DubboApp.scaleProvider(args[1], args[0], args[2], Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("READY " + args[2] + " " + args[3] + " " + millis);
        System.out.flush();
        new CountDownLatch(1).await(); // serves until stopped
        provider.close();
    }
}
