package dev.paddock.server.net;

import dev.paddock.server.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context new connections get. With reloading on, each new connection first looks at the key and trust
 * store files (modification time, size, file identity: one stat each) and, when they changed, builds a new
 * context from them, so replaced certificates take effect without a restart while open connections keep the
 * session they have. ZooKeeper 3.9.5 gets the same effect on its client port by building a context for every
 * connection, and between members with {@code sslQuorumReloadCertFiles} and a file watcher. Stores that do not
 * load (a file caught half-written) leave the previous context in use; a later change is tried again.
 */
public final class ReloadingTls implements Supplier<SslContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTls.class);

    /** Builds a context from the files as they are now. */
    public interface Builder {
        SslContext build() throws IOException;
    }

    private final Builder builder;
    private final List<Path> files;
    private final boolean reload;
    private final String what;
    private volatile SslContext current;
    private volatile List<Object> stamps;

    private ReloadingTls(Builder builder, List<Path> files, boolean reload, String what) throws IOException {
        this.builder = builder;
        this.files = files;
        this.reload = reload;
        this.what = what;
        this.stamps = stamps();
        this.current = builder.build();
    }

    /**
     * @param reload whether new connections pick up changed files
     * @param what   names the port in log lines, e.g. "the client port"
     * @throws IOException when the stores cannot be used now
     */
    public static ReloadingTls of(TlsSettings tls, Builder builder, boolean reload, String what) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String location : new String[] {tls.keyStore().location(), tls.trustStore().location()}) {
            if (location != null) {
                files.add(Path.of(location).toAbsolutePath());
            }
        }
        return new ReloadingTls(builder, List.copyOf(files), reload, what);
    }

    @Override
    public SslContext get() {
        if (reload) {
            List<Object> now = stamps();
            if (!now.equals(stamps)) {
                rebuild(now);
            }
        }
        return current;
    }

    private synchronized void rebuild(List<Object> now) {
        if (now.equals(stamps)) {
            return; // another connection rebuilt it first
        }
        stamps = now;
        try {
            current = builder.build();
            LOG.info("TLS key or trust store changed: new connections to {} use {}", what, files);
        } catch (IOException e) {
            LOG.warn("TLS key or trust store {} changed but cannot be used; {} keeps the previous certificates: {}",
                    files, what, e.getMessage());
        }
    }

    private List<Object> stamps() {
        List<Object> s = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                s.add(List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey())));
            } catch (NoSuchFileException e) {
                s.add("absent");
            } catch (IOException e) {
                s.add("unreadable: " + e.getMessage());
            }
        }
        return s;
    }
}
