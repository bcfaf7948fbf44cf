package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class KerberosOnZooKeeperTest extends KerberosScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
