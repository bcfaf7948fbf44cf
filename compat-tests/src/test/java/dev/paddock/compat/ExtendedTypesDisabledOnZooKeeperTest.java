package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ExtendedTypesDisabledOnZooKeeperTest extends ExtendedTypesDisabledScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
