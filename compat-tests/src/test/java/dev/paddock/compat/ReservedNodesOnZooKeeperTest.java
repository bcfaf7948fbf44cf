package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ReservedNodesOnZooKeeperTest extends ReservedNodesScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
