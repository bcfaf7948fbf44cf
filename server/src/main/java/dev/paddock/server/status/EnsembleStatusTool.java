package dev.paddock.server.status;

import dev.paddock.server.admin.Json;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/paddock status --ensemble [options] [zoo.cfg]}: every member's role, last zxid, lag behind the
 * leader, connections, outstanding requests and latency in one table, then the verdict. Exit status 0 when
 * healthy, 1 when degraded, 2 when the command line or zoo.cfg is wrong, so scripts can act on it.
 *
 * <pre>
 *   --max-lag N      zxids a member may trail the leader before it counts as lagging (default 1000)
 *   --timeout-ms N   how long each member may take to answer (default 2000)
 *   --admin-port N   the AdminServer port to fall back on when srvr is not whitelisted (default: zoo.cfg's)
 *   --json           the AdminServer command's JSON instead of the table
 * </pre>
 */
public final class EnsembleStatusTool {
    static final int HEALTHY = 0;
    static final int DEGRADED = 1;
    static final int USAGE = 2;

    private EnsembleStatusTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        long maxLag = EnsembleReport.DEFAULT_MAX_LAG;
        int timeoutMs = 2000;
        int adminPort = 0;
        boolean json = false;
        Path cfg = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--max-lag" -> maxLag = Long.parseLong(args[++i]);
                    case "--timeout-ms" -> timeoutMs = Integer.parseInt(args[++i]);
                    case "--admin-port" -> adminPort = Integer.parseInt(args[++i]);
                    case "--json" -> json = true;
                    default -> {
                        if (args[i].startsWith("--") || cfg != null) {
                            throw new IllegalArgumentException("unexpected argument " + args[i]);
                        }
                        cfg = Path.of(args[i]);
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            err.println("usage: status --ensemble [--max-lag N] [--timeout-ms N] [--admin-port N] [--json] [zoo.cfg]"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return USAGE;
        }
        List<MemberTarget> targets;
        try {
            ServerConfig config = cfg == null ? ServerConfig.embeddedDefault() : load(cfg);
            targets = EnsembleStatus.targets(config, adminPort);
        } catch (ConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return USAGE;
        }
        EnsembleReport report = EnsembleStatus.collect(targets, new MemberProbe(timeoutMs), maxLag);
        out.print(json ? Json.write(report.json()) + "\n" : report.table());
        return report.healthy() ? HEALTHY : DEGRADED;
    }

    private static ServerConfig load(Path cfg) throws ConfigException {
        if (!Files.isRegularFile(cfg)) {
            throw new ConfigException("no zoo.cfg at " + cfg);
        }
        return ServerConfig.load(cfg);
    }
}
