package dev.paddock.server.admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One AdminServer answer, as ZooKeeper 3.9.5 shapes it: the command's own fields in the order it puts them,
 * then {@code command} (the primary name, or the name asked for when unknown) and {@code error} (null when
 * none); an HTTP status; extra headers; and, for {@code snapshot}, a file streamed instead of JSON.
 */
public record AdminResponse(String command, String error, int status, Map<String, Object> data,
                            Map<String, String> headers, Path body) {
    public static final int OK = 200;

    static AdminResponse ok(String command, Map<String, Object> data) {
        return new AdminResponse(command, null, OK, data, Map.of(), null);
    }

    static AdminResponse error(String command, String error, int status) {
        return new AdminResponse(command, error, status, Map.of(), Map.of(), null);
    }

    /** The JSON object: the fields, then command and error (a field named error keeps its place). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(data);
        m.put("command", command);
        if (!m.containsKey("error")) {
            m.put("error", error);
        }
        return m;
    }
}
