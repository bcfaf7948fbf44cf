package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class AdminRestoreOnPaddockTest extends AdminRestoreScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }

    /** Paddock's restore resets its log to the restored state: a restart serves it. */
    @Override
    protected boolean restoreSurvivesRestart() {
        return true;
    }
}
