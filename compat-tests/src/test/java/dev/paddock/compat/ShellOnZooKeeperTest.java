package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ShellOnZooKeeperTest extends ShellScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
