package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void readsUserPlusSystemTicksAfterACommandWithSpacesAndParentheses() {
        // Fields 14 (utime) = 250 and 15 (stime) = 40; the command holds a space and a ')'.
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 40 0 0 20 0 31 0 100 0 0";
        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(290);
    }

    @Test
    void thisProcessHasUsedSomeCpu() {
        long self = ProcessHandle.current().pid();
        long first = ProcessCpu.nanos(self);
        long spin = 0;
        for (int i = 0; i < 50_000_000; i++) {
            spin += i ^ (spin >>> 3);
        }
        assertThat(spin).isNotZero();
        assertThat(first).isPositive();
        assertThat(ProcessCpu.nanos(self)).isGreaterThanOrEqualTo(first);
    }

    @Test
    void microsPerOpIsUnknownWithoutBothReadingsOrWithoutOperations() {
        assertThat(ProcessCpu.microsPerOp(1_000_000, 3_000_000, 1000)).isEqualTo(2.0);
        assertThat(ProcessCpu.microsPerOp(-1, 3_000_000, 1000)).isNaN();
        assertThat(ProcessCpu.microsPerOp(1_000_000, 3_000_000, 0)).isNaN();
    }
}
