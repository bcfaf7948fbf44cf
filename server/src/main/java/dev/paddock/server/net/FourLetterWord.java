package dev.paddock.server.net;

/** A four-letter word sent instead of a length at the start of a connection ("ruok", "srvr", ...). */
record FourLetterWord(String word) {
}
