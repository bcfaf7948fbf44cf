package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class JavaClientMatrixOnZooKeeperTest extends JavaClientMatrixScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
