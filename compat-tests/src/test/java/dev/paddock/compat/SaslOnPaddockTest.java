package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class SaslOnPaddockTest extends SaslScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
