package dev.paddock.server;

import dev.paddock.server.admin.FourLetterWords;

/**
 * {@code bin/paddock version}: one line in the shape of ZooKeeper's {@code zkServer.sh version}, with the
 * same version string srvr and envi report (the ZooKeeper release Paddock speaks, then Paddock's own).
 */
public final class VersionMain {
    private VersionMain() {
    }

    public static void main(String[] args) {
        System.out.println("Paddock, version " + FourLetterWords.VERSION);
    }
}
