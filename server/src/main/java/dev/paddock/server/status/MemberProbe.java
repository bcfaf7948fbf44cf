package dev.paddock.server.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one member's state the way an operator's script would, so it works on Paddock and ZooKeeper
 * members alike: the {@code srvr} four-letter word on its client port, or, when the member does not
 * whitelist that word, the AdminServer's {@code srvr} command over HTTP. Every read is bounded by the
 * timeout; an answer is capped at {@link #MAX_ANSWER_BYTES}.
 */
public final class MemberProbe {
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final String NOT_WHITELISTED = "is not executed because it is not in the whitelist";
    private static final String NOT_SERVING = "not currently serving requests";

    private final int timeoutMs;

    public MemberProbe(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public MemberReport probe(MemberTarget target) {
        String answer;
        try {
            answer = fourLetterWord(target, "srvr");
        } catch (IOException e) {
            return MemberReport.failed(target, MemberReport.UNREACHABLE);
        }
        if (answer.contains(NOT_WHITELISTED)) {
            return viaAdmin(target);
        }
        return fromSrvr(target, answer);
    }

    /** srvr's text: Latency min/avg/max, Connections, Outstanding, Zxid, Mode. */
    static MemberReport fromSrvr(MemberTarget target, String text) {
        if (text.contains(NOT_SERVING)) {
            return MemberReport.failed(target, MemberReport.NOT_SERVING);
        }
        String mode = line(text, "Mode");
        if (mode == null) {
            return MemberReport.failed(target, MemberReport.UNREACHABLE);
        }
        String latency = line(text, "Latency min/avg/max");
        double avg = -1;
        long max = -1;
        if (latency != null) {
            String[] parts = latency.split("/");
            if (parts.length == 3) {
                avg = parseDouble(parts[1]);
                max = (long) parseDouble(parts[2]);
            }
        }
        String zxid = line(text, "Zxid");
        return new MemberReport(target, mode, zxid == null ? -1 : parseHex(zxid), parseLong(line(text, "Connections")),
                parseLong(line(text, "Outstanding")), avg, max, null, "srvr");
    }

    /** The AdminServer's srvr command: server_stats' fields in JSON (read by name; no JSON library needed). */
    MemberReport viaAdmin(MemberTarget target) {
        String url = "http://" + (target.host().contains(":") ? "[" + target.host() + "]" : target.host()) + ":"
                + target.adminPort() + "/commands/srvr";
        String body;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMillis(timeoutMs)).GET().build(), HttpResponse.BodyHandlers.ofString());
            body = response.body();
        } catch (IOException | IllegalArgumentException e) {
            return MemberReport.failed(target, MemberReport.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MemberReport.failed(target, MemberReport.UNREACHABLE);
        }
        return fromAdminJson(target, body);
    }

    static MemberReport fromAdminJson(MemberTarget target, String json) {
        if (json.contains(NOT_SERVING)) {
            return MemberReport.failed(target, MemberReport.NOT_SERVING);
        }
        String state = jsonField(json, "server_state");
        if (state == null) {
            return MemberReport.failed(target, MemberReport.UNREACHABLE);
        }
        return new MemberReport(target, state, parseLong(jsonField(json, "last_processed_zxid")),
                parseLong(jsonField(json, "num_alive_client_connections")),
                parseLong(jsonField(json, "outstanding_requests")), parseDouble(jsonField(json, "avg_latency")),
                parseLong(jsonField(json, "max_latency")), null, "admin");
    }

    private String fourLetterWord(MemberTarget target, String word) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.host(), target.clientPort()), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(MAX_ANSWER_BYTES);
            return new String(answer, StandardCharsets.UTF_8);
        }
    }

    private static String line(String text, String key) {
        for (String l : text.split("\n")) {
            if (l.startsWith(key + ":")) {
                return l.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    private static String jsonField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.eE+]+)").matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private static long parseHex(String s) {
        try {
            return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseLong(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double parseDouble(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
