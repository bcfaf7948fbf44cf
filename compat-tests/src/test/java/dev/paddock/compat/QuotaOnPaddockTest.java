package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class QuotaOnPaddockTest extends QuotaScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
