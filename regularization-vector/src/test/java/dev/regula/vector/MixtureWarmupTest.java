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
            if (n >= MixturePriorTable.LEAST_VALUES) continue; // the table's (below)
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

    /**
     * Its calls of the table's size take the table, and send values to the direct computation (cells
     * that fail their check, values outside the window): in training those come minutes after the
     * first calls, whose profile alone would turn their branches into traps.
     */
    @Test
    void itsTableCallsTakeTheTableAndComputeSomeValuesDirectly() {
        assumeVectorModule();
        assumeTrue(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length() >= 4, "128-bit vectors: the table declines every call");
        int calls = 0, withDirect = 0;
        for (MixtureWarmup.Call call : MixtureWarmup.calls()) {
            int n = call.x().length;
            if (n < MixturePriorTable.LEAST_VALUES) continue;
            int k = call.mu().length;
            int[] direct = {0};
            boolean took = MixturePriorTable.apply(n, call.x(), 0, new float[n], 0, 1e-5f, k, call.mu(), call.halfTau(),
                    call.logWeight(), new double[3 * k], null, () -> Double.POSITIVE_INFINITY,
                    (len, xs, xo, gs, go, scale, kk, mu, ht, lw, su) -> direct[0] += len);
            assertTrue(took, "the table took " + n + " values");
            calls++;
            if (direct[0] > 0) withDirect++;
        }
        assertTrue(calls >= 2 && withDirect > 0, calls + " calls of the table, " + withDirect + " with values computed directly");
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
