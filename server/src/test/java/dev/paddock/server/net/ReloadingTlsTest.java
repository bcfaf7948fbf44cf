package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.TlsConfig;
import dev.paddock.server.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new context when the store files change, the old one kept when they cannot be used. */
class ReloadingTlsTest {
    @TempDir
    Path dir;

    @Test
    void rebuildsOnlyWhenAStoreFileChangesAndKeepsTheLastGoodContext() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.p12"), "v1");
        Path trust = Files.writeString(dir.resolve("trust.pem"), "t1");
        TlsSettings settings = new TlsSettings(new TlsConfig.Store(keys.toString(), null, null),
                new TlsConfig.Store(trust.toString(), null, null), "need", "TLSv1.3", List.of("TLSv1.3"), null, true,
                false, false, false, true, "JDK");
        AtomicInteger builds = new AtomicInteger();
        AtomicReference<IOException> failure = new AtomicReference<>();
        ReloadingTls tls = ReloadingTls.of(settings, () -> {
            builds.incrementAndGet();
            if (failure.get() != null) {
                throw failure.get();
            }
            return SslContextBuilder.forClient().build();
        }, true, "the test port");
        SslContext first = tls.get();
        assertThat(tls.get()).isSameAs(first);
        assertThat(builds).hasValue(1);

        Files.writeString(trust, "t2-longer");
        SslContext second = tls.get();
        assertThat(second).isNotSameAs(first);
        assertThat(builds).hasValue(2);

        failure.set(new IOException("half written"));
        Files.writeString(keys, "v2-partial");
        assertThat(tls.get()).isSameAs(second);
        assertThat(tls.get()).isSameAs(second);
        assertThat(builds).hasValue(3);

        failure.set(null);
        Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(tls.get()).isNotSameAs(second);
        assertThat(builds).hasValue(4);
    }

    @Test
    void withoutReloadTheFirstContextStays() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.p12"), "v1");
        TlsSettings settings = new TlsSettings(new TlsConfig.Store(keys.toString(), null, null),
                new TlsConfig.Store(null, null, null), "need", "TLSv1.3", List.of("TLSv1.3"), null, true, true, true, true, true, "JDK");
        AtomicInteger builds = new AtomicInteger();
        ReloadingTls tls = ReloadingTls.of(settings, () -> {
            builds.incrementAndGet();
            return SslContextBuilder.forClient().build();
        }, false, "the test port");
        SslContext first = tls.get();
        Files.writeString(keys, "v2-changed");
        assertThat(tls.get()).isSameAs(first);
        assertThat(builds).hasValue(1);
    }
}
