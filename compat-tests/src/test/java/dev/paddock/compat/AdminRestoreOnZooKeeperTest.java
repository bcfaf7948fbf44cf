package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class AdminRestoreOnZooKeeperTest extends AdminRestoreScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }

    /** ZooKeeper 3.9.5's restore replaces the in-memory database only; its data directory is unchanged. */
    @Override
    protected boolean restoreSurvivesRestart() {
        return false;
    }
}
