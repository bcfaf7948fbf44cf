package dev.paddock.dubbo;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token naming one scenario run's applications and service version ("run7"): see {@link DubboApp} for
 * why names are never reused within a JVM. {@link ZnodeTree} masks it, so runs compare equal.
 */
final class Run {
    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private Run() {}

    static String next() {
        return "run" + NEXT.getAndIncrement();
    }
}
