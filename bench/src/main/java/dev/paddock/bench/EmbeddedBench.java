package dev.paddock.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * paddock-testing's {@code TestingServer} against curator-test's (ZooKeeper 3.9.5), in the same run: each
 * round starts one of each in a fresh child JVM ({@link EmbeddedProbe}, same flags), alternating which goes
 * first; prints every round and the medians with Paddock's figure as a ratio of curator-test's.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:bench/target/lib/*:bench/target/embedded-lib/*" dev.paddock.bench.EmbeddedBench [rounds]
 * </pre>
 */
public final class EmbeddedBench {
    private static final List<String> KINDS = List.of("paddock", "curator");
    private static final String[] COLUMNS = {"start to first read ms", "JVM start to first read ms",
        "CPU ms to first read (JVM start included)", "heap used MiB", "RSS MiB", "threads"};

    private EmbeddedBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, List<double[]>> results = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = round % 2 == 0 ? KINDS : List.of(KINDS.get(1), KINDS.get(0));
            for (String kind : order) {
                double[] r = runChild(kind);
                results.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
                System.out.printf("round %d %-8s %s%n", round + 1, kind, Arrays.toString(r));
            }
        }
        System.out.println();
        System.out.printf("medians of %d rounds (one server per fresh JVM, -Xmx512m -XX:+UseG1GC, %d cores)%n", rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| figure | paddock-testing | curator-test " + curatorVersion() + " | ratio |");
        System.out.println("| --- | --- | --- | --- |");
        for (int c = 0; c < COLUMNS.length; c++) {
            double p = median(results.get("paddock"), c);
            double z = median(results.get("curator"), c);
            System.out.printf("| %s | %.1f | %.1f | %.2fx |%n", COLUMNS[c], p, z, p / z);
        }
    }

    private static double[] runChild(String kind) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dzookeeper.admin.enableServer=false",
                "-Dzookeeper.jmx.log4j.disable=true", "-cp", System.getProperty("java.class.path"),
                EmbeddedProbe.class.getName(), kind));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        if (result == null || exit != 0) {
            throw new IllegalStateException(kind + " child failed (exit " + exit + ")");
        }
        String[] f = result.split(" ");
        double mib = 1024.0 * 1024.0;
        return new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
            Double.parseDouble(f[5]) / mib, Double.parseDouble(f[6]) / mib, Double.parseDouble(f[7])};
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String curatorVersion() {
        Package p = org.apache.curator.test.TestingServer.class.getPackage();
        return p.getImplementationVersion() == null ? "" : p.getImplementationVersion();
    }
}
