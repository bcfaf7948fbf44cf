package dev.paddock.server.net;

/**
 * A four-letter word sent instead of a length at the start of a connection ("ruok", "srvr", ...), with the
 * trace mask that follows {@code stmk} (0 for every other word).
 */
record FourLetterWord(String word, long argument) {
}
