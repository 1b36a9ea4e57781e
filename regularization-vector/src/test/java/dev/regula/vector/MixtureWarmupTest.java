package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The mixture prior's warm-up takes every path of the kernel and changes no result. */
class MixtureWarmupTest {
    private static void assumeVectorModule() {
        assumeTrue(new VectorKernelsProvider().isSupported(), "the vector module");
    }

    /**
     * Its made-up calls take each path of the direct kernel: too few values to plan, the
     * one-component pass, the two-component pass, runs of several components after the pass and
     * without it, and neither (the sort or stored order).
     */
    @Test
    void itsCallsTakeEveryPathOfTheKernel() {
        assumeVectorModule();
        List<MixtureWarmup.Call> calls = MixtureWarmup.calls();
        boolean unplanned = false, solo = false, pair = false, runs = false, runsAlone = false, none = false;
        StringBuilder paths = new StringBuilder();
        for (MixtureWarmup.Call call : calls) {
            int n = call.x().length;
            int k = call.mu().length;
            assertTrue(n < MixturePriorTable.LEAST_VALUES, "the direct kernel's calls: the table's come first in training anyway");
            MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, call.mu(), call.halfTau(), call.logWeight());
            MixturePriorKernel.Buckets plan = MixturePriorKernel.plan(n, call.x(), 0, k, c.mu(), c.c2(), c.v2());
            unplanned |= plan.count() == 1;
            if (plan.count() < 3) continue;
            int[] held = MixtureInPlace.held(plan, n, call.x(), 0);
            MixtureInPlace pass = MixtureInPlace.of(plan, held, c);
            solo |= pass instanceof MixtureSolo;
            pair |= pass instanceof MixturePair;
            runs |= pass != null && MixtureGroups.of(plan, held, pass, c) != null;
            runsAlone |= pass == null && MixtureGroups.of(plan, held, null, c) != null;
            none |= pass == null && MixtureGroups.of(plan, held, null, c) == null;
            paths.append(n).append(": ").append(pass == null ? "sorted" : pass.getClass().getSimpleName())
                    .append(MixtureGroups.of(plan, held, pass, c) != null ? " + runs" : "").append("; ");
        }
        assertTrue(unplanned && solo && pair && runs && runsAlone && none, "unplanned " + unplanned + ", solo " + solo + ", pair "
                + pair + ", runs " + runs + ", runs alone " + runsAlone + ", neither " + none + " (" + paths + ")");
    }

    /** Run beside a thread using other kernels, it ends cleanly and that thread's results keep their bits. */
    @Test
    void runsCleanAndChangesNoResultOfKernelsUsedMeanwhile() throws InterruptedException {
        assumeVectorModule();
        Kernels k = KernelsTestSupport.vector(2);
        MixtureWarmup.Call call = MixtureWarmup.calls().get(2);
        int n = call.x().length;
        int c = call.mu().length;
        float[] expected = new float[n];
        double[] expectedSums = new double[3 * c];
        k.mixturePriorGradient(n, call.x(), 0, expected, 0, 1e-5, c, call.mu(), call.halfTau(), call.logWeight(), expectedSums);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread warmup = new Thread(() -> MixtureWarmup.run(2, new VectorKernels(1)));
        warmup.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        warmup.start();
        int checks = 0;
        do {
            float[] g = new float[n];
            double[] sums = new double[3 * c];
            k.mixturePriorGradient(n, call.x(), 0, g, 0, 1e-5, c, call.mu(), call.halfTau(), call.logWeight(), sums);
            assertArrayEquals(expected, g, 0f);
            assertArrayEquals(expectedSums, sums, 0);
            checks++;
        } while (warmup.isAlive());
        warmup.join();
        assertNull(failure.get(), () -> "the warm-up failed: " + failure.get());
        assertTrue(checks > 0);
    }

    @Test
    void itsThreadHasItsOwnName() throws InterruptedException {
        Thread t = new JitWarmup(JitWarmup.MIXTURE_THREAD_NAME, () -> { }, 0).start();
        assertEquals("regula-mixture-warmup", t.getName());
        t.join();
    }
}
