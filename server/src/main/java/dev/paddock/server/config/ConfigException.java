package dev.paddock.server.config;

/** A configuration that cannot be used; the message names the file and line where it can. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
