package dev.paddock.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads zoo.cfg's key=value lines, remembering where each key came from so errors can name the line.
 * Each line is read as {@link Properties#load} reads it, as ZooKeeper does: {@code =}, {@code :} or
 * whitespace separate key and value, backslash escapes (of a colon, or of a unicode character) and continuation
 * lines work, so a zoo.cfg written by {@code Properties.store} reads the same. Comments start with '#' or
 * '!'; blank lines are skipped; a line with neither '=' nor ':' is an error naming it (ZooKeeper would
 * take its first word as a key, which is never what an operator meant).
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

    /** An odd number of trailing backslashes continues the line, as in a properties file. */
    private static boolean endsWithContinuation(CharSequence line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    public static Map<String, Entry> parse(List<String> lines, String fileName) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            String origin = fileName + " line " + (i + 1);
            if (line.indexOf('=') <= 0 && line.indexOf(':') <= 0) {
                throw new ConfigException(origin + ": expected key=value but found '" + line + "'");
            }
            StringBuilder logical = new StringBuilder(line);
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.append('\n').append(lines.get(++i));
            }
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(origin + ": " + e.getMessage());
            }
            for (String key : one.stringPropertyNames()) {
                entries.put(key.strip(), new Entry(one.getProperty(key).strip(), origin));
            }
        }
        return entries;
    }
}
