package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class FourLetterWhitelistOnPaddockTest extends FourLetterWhitelistScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
