package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class HostileClientOnPaddockTest extends HostileClientScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
