package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class SessionOnPaddockTest extends SessionScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
