package dev.paddock.compat.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends a four-letter word the way `echo ruok | nc host port` does and reads until EOF. */
public final class FourLetterWords {
    private FourLetterWords() {
    }

    public static String send(int port, String word) throws IOException {
        return send(port, word.getBytes(StandardCharsets.US_ASCII));
    }

    /** Any bytes: a word with what follows it (stmk's mask), or telnet's close (0xfff4fffd). */
    public static String send(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
