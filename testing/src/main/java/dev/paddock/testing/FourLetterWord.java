package dev.paddock.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Asks a member on loopback a four-letter word (how the cluster finds its leader, as an operator would). */
final class FourLetterWord {
    private static final int TIMEOUT_MS = 2000;

    private FourLetterWord() {
    }

    /** The answer, or "" when nothing answers on that port. */
    static String ask(int port, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** srvr's Mode (leader, follower, observer, standalone), or "" when it does not serve or answer. */
    static String mode(int port) {
        for (String line : ask(port, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).strip();
            }
        }
        return "";
    }
}
