package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not a benchmark: proves the harness works end to end. Starts both servers for every section with tiny
 * settings and checks that the results file has figures for Paddock and for ZooKeeper in every section,
 * and that the charts were drawn. No figure is judged.
 */
class HarnessSmokeTest {
    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|");

    @Test
    @Timeout(360) // about 4.5 minutes at a load average of 24 on 2 cores
    void smokeRunProducesBothServersFiguresInEverySection() throws Exception {
        Path paddockJar = Path.of(System.getProperty("paddock.jar", "../server/target/paddock-server-0.1.0-SNAPSHOT-all.jar"));
        Path lib = Path.of(System.getProperty("bench.lib", "target/lib"));
        assertThat(paddockJar).as("Paddock's shaded jar (built by the server module)").isRegularFile();
        assertThat(lib).as("bench runtime classpath (copied at process-classes)").isDirectory();
        Path results = Path.of("target", "smoke-results");
        BenchMain.deleteTree(results);

        Path report = BenchMain.run(Settings.forMode("smoke"), paddockJar, lib, results,
                new LinkedHashSet<>(BenchMain.SECTIONS), false);

        String md = Files.readString(report);
        assertThat(md).doesNotContain("## Failures");
        assertThat(md).contains("fsync (FileChannel.force) after a 4 KiB append on the data disk", "cores: ");
        for (var title : Report.SECTION_TITLES.entrySet()) {
            if (!title.getKey().equals("jfr")) { // only with --jfr
                assertThat(md).contains("## " + title.getValue());
            }
        }
        assertThat(completeRows(md)).contains("getData / p50 (µs)", "setData / p99 (µs)",
                "90/10 read/write, 100 B, 2 in flight / ops/s (ops/s)",
                "20 watching sessions / time to last event (ms)",
                "90/10 read/write, 100 B, 2 in flight / server CPU per op (µs)",
                "90/10 read/write, 100 B / achieved rate (ops/s)",
                "90/10 read/write, 100 B / p99.9 (ms)",
                "90/10 read/write, 100 B / server CPU per op (µs)",
                "2 threads / sessions opened and closed (per s)",
                "300 znodes / live heap after full GC (MB)",
                "300 znodes / restart from the log only, to first read (ms)",
                "300 znodes / restart from the snapshot, to first read (ms)",
                "300 znodes / on disk after the fill (allocated) (MB)",
                "3 members, 100% write, 100 B, 6 in flight / ops/s (ops/s)",
                "3 members, 100% read, 100 B, 6 in flight / p99 (ms)");
        // The latency section ran after the load section, so it took ZooKeeper's peak from there.
        assertThat(md).contains("half of ZooKeeper's peak", "(the load section's best point, ");
        String stem = report.getFileName().toString().replace(".md", "");
        assertThat(results.resolve(stem + "-load-read90.png")).isRegularFile();
        assertThat(results.resolve(stem + ".tsv")).isRegularFile();
    }

    /** Alone, the latency section measures ZooKeeper's peak itself before driving both servers at half of it. */
    @Test
    @Timeout(120)
    void latencySectionAloneMeasuresZooKeepersPeakItself() throws Exception {
        Path paddockJar = Path.of(System.getProperty("paddock.jar", "../server/target/paddock-server-0.1.0-SNAPSHOT-all.jar"));
        Path lib = Path.of(System.getProperty("bench.lib", "target/lib"));
        Path results = Path.of("target", "smoke-results-latency");
        BenchMain.deleteTree(results);

        Path report = BenchMain.run(Settings.forMode("smoke"), paddockJar, lib, results,
                new LinkedHashSet<>(List.of("latency")), false);

        String md = Files.readString(report);
        assertThat(md).doesNotContain("## Failures");
        assertThat(md).contains("## " + Report.SECTION_TITLES.get("latency"), "measured by this section");
        assertThat(completeRows(md)).contains("90/10 read/write, 100 B / achieved rate (ops/s)",
                "90/10 read/write, 100 B / p50 (ms)", "90/10 read/write, 100 B / p99 (ms)",
                "90/10 read/write, 100 B / max (ms)");
    }

    private static List<String> completeRows(String md) {
        List<String> complete = new ArrayList<>();
        for (String line : md.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find() && isNumber(m.group(3)) && isNumber(m.group(4)) && isNumber(m.group(5))) {
                complete.add(m.group(1).trim() + " / " + m.group(2).trim());
            }
        }
        return complete;
    }

    private static boolean isNumber(String cell) {
        return cell.trim().replace(",", "").matches("-?[0-9.]+");
    }
}
