package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class JavaClientMatrixOnPaddockTest extends JavaClientMatrixScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
