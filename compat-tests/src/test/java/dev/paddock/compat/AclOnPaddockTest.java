package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class AclOnPaddockTest extends AclScenarios {
    @Override
    protected Target target() {
        return Target.PADDOCK;
    }
}
