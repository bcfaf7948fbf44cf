package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.ServerSettings;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Which four-letter words are answered, with {@code 4lw.commands.whitelist= ruok, stat,isro ,mntr} in
 * zoo.cfg (spaces around the words are ignored):
 * <ul>
 *   <li>srvr is always answered, listed or not (zkServer.sh status needs it);</li>
 *   <li>a known word that is not whitelisted answers "&lt;word&gt; is not executed because it is not in
 *       the whitelist.\n" and the connection closes; stmk answers so at once, without waiting for the
 *       mask it would otherwise read; telnet's close (bytes ff f4 ff fd) is such a known word, named
 *       "telnet close";</li>
 *   <li>an unknown word is read as a frame length: the connection closes with no answer, and the next
 *       connection is served as usual. Paddock's own {@code snap} is such a word unless whitelisted.</li>
 * </ul>
 * {@link FourLetterWordScenarios} has every word whitelisted ("*") and pins what each one answers.
 */
public abstract class FourLetterWhitelistScenarios extends CompatTestBase {
    private static final String[] NOT_WHITELISTED = {"conf", "cons", "crst", "dump", "envi", "srst", "wchs", "wchc",
        "wchp", "hash", "dirs", "gtmk", "stmk"};

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().zooCfg("4lw.commands.whitelist", " ruok, stat,isro ,mntr");
    }

    @Test
    void srvrIsAnsweredThoughNotListed() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), "srvr")).startsWith("Zookeeper version: ")
                .contains("\nMode: standalone\n");
    }

    @Test
    void listedWordsAreAnswered() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), "ruok")).isEqualTo("imok");
        assertThat(FourLetterWords.send(server.clientPort(), "isro")).isEqualTo("rw");
        assertThat(FourLetterWords.send(server.clientPort(), "stat")).startsWith("Zookeeper version: ");
        assertThat(FourLetterWords.send(server.clientPort(), "mntr")).startsWith("zk_version\t");
    }

    @Test
    void notWhitelisted() throws Exception {
        for (String w : NOT_WHITELISTED) {
            assertThat(FourLetterWords.send(server.clientPort(), w))
                    .isEqualTo(w + " is not executed because it is not in the whitelist.\n");
        }
    }

    @Test
    void telnetCloseIsAKnownWordToo() throws Exception {
        byte[] telnetClose = ByteBuffer.allocate(4).putInt(0xfff4fffd).array();
        assertThat(FourLetterWords.send(server.clientPort(), telnetClose))
                .isEqualTo("telnet close is not executed because it is not in the whitelist.\n");
    }

    @Test
    void unknownWordClosesTheConnection() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), "abcd")).isEmpty();
        assertThat(FourLetterWords.send(server.clientPort(), "kill")).isEmpty();
        // snap is Paddock's own word, unknown to ZooKeeper 3.9.5; not whitelisted, it is no word in Paddock either.
        assertThat(FourLetterWords.send(server.clientPort(), "snap")).isEmpty();
        assertThat(FourLetterWords.send(server.clientPort(), "ruok")).isEqualTo("imok");
    }
}
