package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void cpuTicksSkipACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 567 0 0 20 0 30 0 999 1 2 3";
        assertEquals(1234 + 567, ProcStats.parseCpuTicks(stat));
    }

    @Test
    void ownProcessHasCpuTimeAndRss() {
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcStats.cpuSeconds(pid) > 0);
        assertTrue(ProcStats.rssBytes(pid) > 1 << 20);
        assertEquals(-1, ProcStats.rssBytes(Long.MAX_VALUE));
    }

    @Test
    void kilobyteFields() {
        String status = "Name:\tjava\nVmPeak:\t  200 kB\nVmRSS:\t   12345 kB\nThreads: 3\n";
        assertEquals(12345L * 1024, ProcStats.parseKilobytes(status, "VmRSS:"));
        assertEquals(-1, ProcStats.parseKilobytes(status, "VmSwap:"));
    }

    @Test
    void jstatHeapUsed() {
        String out = "    S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU    \n"
                + "     0.0     2048.0        0.0     2048.0     34816.0      4096.0     225280.0      1000.5    1024.0      900.0\n";
        assertEquals(Math.round((2048.0 + 4096.0 + 1000.5) * 1024), ProcStats.parseJstatUsed(out));
    }
}
