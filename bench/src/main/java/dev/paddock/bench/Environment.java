package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the pieces are: the Paddock shaded jar, the ZooKeeper classpath, the JDK tools. */
public record Environment(Path paddockJar, Path benchLib, Path resultsDir, Path workDir) {

    public String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String jcmdBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /** The reference server runs from the bench module's own runtime classpath (Maven Central jars). */
    public String zookeeperClasspath() {
        return benchLib.toAbsolutePath() + "/*";
    }

    public void check() throws IOException {
        if (!Files.isRegularFile(paddockJar)) {
            throw new IOException("Paddock jar missing: " + paddockJar + " (mvn -o -q install -DskipTests)");
        }
        if (!Files.isDirectory(benchLib)) {
            throw new IOException("bench runtime classpath missing: " + benchLib);
        }
    }
}
