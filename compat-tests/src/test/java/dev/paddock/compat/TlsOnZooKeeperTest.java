package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class TlsOnZooKeeperTest extends TlsScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
