package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class DigestOnPaddockTest extends DigestScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
