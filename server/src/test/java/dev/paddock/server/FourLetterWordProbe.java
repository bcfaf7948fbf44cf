package dev.paddock.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends a four-letter word to a client port on loopback; tests use it to read a member's mode. */
public final class FourLetterWordProbe {
    private FourLetterWordProbe() {
    }

    /** The answer, or "" when nothing listens there (yet). */
    public static String send(int port, String word) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
