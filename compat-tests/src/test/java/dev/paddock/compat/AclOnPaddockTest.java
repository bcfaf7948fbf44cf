package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class AclOnPaddockTest extends AclScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
