package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class FourLetterWordOnPaddockTest extends FourLetterWordScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
