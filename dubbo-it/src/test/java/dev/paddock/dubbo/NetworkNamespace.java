package dev.paddock.dubbo;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The address Dubbo's endpoints get: the veth address that src/test/netns/bin/java gives the test JVM's
 * own network namespace. Dubbo refuses loopback, so without the namespace the tests cannot run; they fail
 * at once saying so rather than registering the machine's real address.
 */
final class NetworkNamespace {
    private NetworkNamespace() {}

    static String address() {
        String address = System.getenv("DUBBO_IT_ADDRESS");
        if (address == null) {
            throw new IllegalStateException("dubbo-it runs inside the network namespace made by "
                    + "dubbo-it/src/test/netns/bin/java (Surefire's jvm); run it through Maven, as root");
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a.getHostAddress().equals(address) && nic.isUp()) {
                        return address;
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
        throw new IllegalStateException("no interface holds " + address + ": not inside dubbo-it's namespace");
    }
}
