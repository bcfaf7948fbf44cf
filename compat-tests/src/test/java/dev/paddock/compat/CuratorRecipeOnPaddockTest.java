package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorRecipeOnPaddockTest extends CuratorRecipeScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
