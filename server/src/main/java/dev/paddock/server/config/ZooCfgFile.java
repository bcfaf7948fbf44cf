package dev.paddock.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads zoo.cfg's key=value lines, remembering where each key came from so errors can name the line.
 * Comments start with '#' or '!'; blank lines are skipped; a line without a separator is an error.
 */
public final class ZooCfgFile {
    public record Entry(String value, String origin) {
    }

    private ZooCfgFile() {
    }

    public static Map<String, Entry> read(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(lines, file.toString());
    }

    public static Map<String, Entry> parse(List<String> lines, String fileName) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            String origin = fileName + " line " + (i + 1);
            if (eq <= 0) {
                throw new ConfigException(origin + ": expected key=value but found '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            entries.put(key, new Entry(value, origin));
        }
        return entries;
    }
}
