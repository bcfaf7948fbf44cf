package dev.paddock.dubbo;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Ensemble;
import dev.paddock.it.PaddockCoordinator;
import dev.paddock.it.ReferenceZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The two servers every scenario runs against, with the same expectations. */
enum Server {
    PADDOCK("Paddock"), ZOOKEEPER("ZooKeeper 3.9.5");

    final String label;

    Server(String label) {
        this.label = label;
    }

    /** A standalone server on loopback (in the test's network namespace), data under {@code dir}. */
    Coordinator start(Path dir) throws Exception {
        Files.createDirectories(dir);
        return this == PADDOCK ? PaddockCoordinator.start(dir) : ReferenceZooKeeper.start(dir);
    }

    Ensemble.Kind ensembleKind() {
        return this == PADDOCK ? Ensemble.Kind.PADDOCK : Ensemble.Kind.ZOOKEEPER;
    }

    /** A fresh directory under the module's work directory. */
    static Path workDir(String prefix) throws Exception {
        Path root = Paths.get(System.getProperty("paddock.testDir", "target/dubbo-it-work")).toAbsolutePath();
        Files.createDirectories(root);
        return Files.createTempDirectory(root, prefix);
    }

    @Override
    public String toString() {
        return label;
    }
}
