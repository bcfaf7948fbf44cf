package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ShellOnPaddockTest extends ShellScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
