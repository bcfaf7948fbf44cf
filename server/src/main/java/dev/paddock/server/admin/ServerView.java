package dev.paddock.server.admin;

import java.util.List;

/**
 * What the four-letter words read about this server's clients and role: a read-only view, implemented by
 * the request layer, so this package does not depend on it. Called on the request thread.
 */
public interface ServerView {
    /** One connected client, as stat lists it. */
    record Client(String remoteAddress, int queued, long received, long sent) {
    }

    int connectionCount();

    List<Client> clients();

    /** The Mode line of srvr: standalone, leader, follower or observer. */
    String mode();
}
