package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyFloat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.regula.api.RegulaException;
import dev.regula.api.kernels.Kernels;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The JIT warm-up: its switch, what it exercises, once per JVM, and that it changes no result. */
class JitWarmupTest {
    @Test
    void propertyIsTrueFalseOrUnset() {
        assertTrue(JitWarmup.enabled(null));
        assertTrue(JitWarmup.enabled("true"));
        assertTrue(JitWarmup.enabled(" TRUE "));
        assertFalse(JitWarmup.enabled("false"));
        RegulaException e = assertThrows(RegulaException.class, () -> JitWarmup.enabled("off"));
        assertEquals("system property regula.kernels.warmup must be true or false, got 'off'", e.getMessage());
    }

    @Test
    void exercisesTheKernelsOfADenseSgdStepEachRoundAndNoOthers() {
        assumeTrue(new VectorKernelsProvider().isSupported(), "its sizes come from the vector tile");
        Kernels k = mock(Kernels.class);
        JitWarmup.run(k, 3);
        verify(k, times(3)).gemm(eq(false), eq(true), anyInt(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt(),
                any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        verify(k, times(2)).gemm(eq(true), eq(false), anyInt(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt(),
                any(), anyInt(), anyInt(), eq(0f), any(), anyInt(), anyInt());
        verify(k, times(1)).gemm(eq(true), eq(false), anyInt(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt(),
                any(), anyInt(), anyInt(), eq(1f), any(), anyInt(), anyInt());
        verify(k, times(3)).gemm(eq(false), eq(false), anyInt(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt(),
                any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        verify(k, times(3)).addRowVector(anyInt(), anyInt(), any(), any());
        verify(k, times(3)).addColumnSums(anyInt(), anyInt(), any(), any());
        verify(k, times(3)).relu(anyInt(), any(), anyInt(), any(), anyInt());
        verify(k, times(3)).reluBackward(anyInt(), any(), any(), any());
        verify(k, times(3)).dropout(anyInt(), anyFloat(), anyLong(), any(), any(), any());
        verify(k, times(3)).multiply(anyInt(), any(), any(), any());
        verify(k, times(3)).softmaxRows(anyInt(), anyInt(), any(), any());
        verify(k, times(3)).axpy(anyInt(), anyFloat(), any(), anyInt(), any(), anyInt());
        verify(k, times(3)).scale(anyInt(), anyFloat(), any(), anyInt());
        verify(k, times(3)).sgdMomentumWithDecay(anyInt(), anyFloat(), anyFloat(), anyBoolean(), anyFloat(), any(), any(), any());
        verify(k, times(3)).sgdMomentum(anyInt(), anyFloat(), anyFloat(), anyBoolean(), any(), any(), any());
        verify(k, times(3)).allFinite(anyInt(), any(), anyInt());
        verify(k, times(3)).sumSquares(anyInt(), any(), anyInt());
        verify(k, times(3)).gatherRows(anyInt(), anyInt(), any(), any(), anyInt(), any());
        // Adam, the other activations, L1, clamp, pooling, ... are compiled on first use, not here
        verifyNoMoreInteractions(k);
    }

    @Test
    void addsTheRarerPathsFromItsCoverageRoundOn() {
        assumeTrue(new VectorKernelsProvider().isSupported(), "its sizes come from the vector tile");
        Kernels k = mock(Kernels.class);
        JitWarmup.run(k, JitWarmup.COVERAGE_FROM + 1); // round COVERAGE_FROM is a coverage round
        int products = 4;
        verify(k, times(JitWarmup.COVERAGE_FROM + 1 + products)).gemm(eq(false), eq(true), anyInt(), anyInt(), anyInt(),
                anyFloat(), any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        verify(k).gemm(eq(false), eq(true), eq(64), eq(64), eq(64), anyFloat(), any(), anyInt(), anyInt(), any(), anyInt(),
                anyInt(), anyFloat(), any(), anyInt(), anyInt());
        verify(k, times(JitWarmup.COVERAGE_FROM + 2)).relu(anyInt(), any(), anyInt(), any(), anyInt());
        verify(k).relu(org.mockito.ArgumentMatchers.intThat(n -> n >= VectorKernels.PARALLEL_ELEMENTS), any(), anyInt(), any(),
                anyInt());
    }

    @Test
    void pausesAfterASlowRoundForAsLongAsItTookButNeverEarlyOrAfterAFastOne() {
        long slow = JitWarmup.SLOW_ROUND_NANOS + 1;
        assertEquals(0, JitWarmup.pauseAfter(0, 10 * slow), "the first rounds make the kernels hot: no pause");
        assertEquals(0, JitWarmup.pauseAfter(JitWarmup.PAUSE_FROM - 1, 10 * slow));
        assertEquals(slow, JitWarmup.pauseAfter(JitWarmup.PAUSE_FROM, slow));
        assertEquals(7_000_000, JitWarmup.pauseAfter(JitWarmup.ROUNDS - 1, 7_000_000));
        assertEquals(0, JitWarmup.pauseAfter(JitWarmup.PAUSE_FROM, JitWarmup.SLOW_ROUND_NANOS), "a compiled round runs on");
        assertEquals(0, JitWarmup.pauseAfter(JitWarmup.ROUNDS - 1, 3_000));
        assertTrue(JitWarmup.PAUSE_FROM < JitWarmup.COVERAGE_FROM, "pauses start before the coverage rounds");
    }

    @Test
    void startsOnceAsANamedDaemonAndIsDoneAfterItsBody() throws InterruptedException {
        JitWarmup warmup = new JitWarmup(() -> { }, TimeUnit.SECONDS.toNanos(5));
        Thread t = warmup.start();
        assertNotNull(t);
        assertTrue(t.isDaemon());
        assertEquals(Thread.MIN_PRIORITY, t.getPriority());
        assertEquals(JitWarmup.THREAD_NAME, t.getName());
        assertNull(warmup.start(), "a second start starts nothing");
        t.join();
        assertTrue(warmup.isDone());
    }

    @Test
    void awaitReturnsAtOnceWhenNeverStarted() {
        JitWarmup warmup = new JitWarmup(() -> { }, TimeUnit.SECONDS.toNanos(30));
        long t0 = System.nanoTime();
        warmup.await();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void awaitWaitsForTheBodyToFinish() {
        AtomicBoolean finished = new AtomicBoolean();
        JitWarmup warmup = new JitWarmup(() -> {
            sleep(300);
            finished.set(true);
        }, TimeUnit.SECONDS.toNanos(30));
        warmup.start();
        warmup.await();
        assertTrue(finished.get(), "await returned before the warm-up finished");
    }

    @Test
    void allWaitsTogetherEndAtOneDeadline() {
        CountDownLatch release = new CountDownLatch(1);
        long maxWait = TimeUnit.MILLISECONDS.toNanos(500);
        JitWarmup warmup = new JitWarmup(() -> await(release), maxWait);
        long t0 = System.nanoTime();
        warmup.start();
        try {
            int calls = 10; // waiting maxWait per call would take 5 s
            for (int call = 0; call < calls; call++) warmup.await();
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= maxWait, "returned before the deadline: " + elapsed + " ns");
            assertTrue(elapsed < 4 * maxWait, calls + " calls waited " + elapsed + " ns, not one deadline");
            assertFalse(warmup.isDone());
        } finally {
            release.countDown();
        }
    }

    @Test
    void theWarmupThreadItselfNeverWaits() throws InterruptedException {
        AtomicReference<JitWarmup> self = new AtomicReference<>();
        AtomicLong waited = new AtomicLong(-1);
        JitWarmup warmup = new JitWarmup(() -> {
            long t0 = System.nanoTime();
            self.get().await();
            waited.set(System.nanoTime() - t0);
        }, TimeUnit.SECONDS.toNanos(30));
        self.set(warmup);
        warmup.start().join();
        assertTrue(waited.get() >= 0 && waited.get() < TimeUnit.SECONDS.toNanos(1), "waited " + waited.get() + " ns");
    }

    @Test
    void aFailingBodyCountsAsDone() throws InterruptedException {
        JitWarmup warmup = new JitWarmup(() -> {
            throw new IllegalStateException("simulated failure of the warm-up");
        }, TimeUnit.SECONDS.toNanos(30));
        warmup.start().join();
        assertTrue(warmup.isDone());
        long t0 = System.nanoTime();
        warmup.await();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void runsCleanAndChangesNoResultOfKernelsUsedMeanwhile() throws InterruptedException {
        Kernels k = KernelsTestSupport.vector(2);
        Random rnd = new Random(5);
        int m = 70;
        int n = 90;
        int inner = 130;
        float[] a = KernelsTestSupport.data(rnd, m * inner);
        float[] b = KernelsTestSupport.data(rnd, n * inner);
        float[] expected = new float[m * n];
        k.gemm(false, true, m, n, inner, 1f, a, 0, inner, b, 0, inner, 0f, expected, 0, n);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        // past two coverage rounds, so the large products and split lengths run alongside too
        Thread warmup = new Thread(() -> JitWarmup.run(new VectorKernels(2), JitWarmup.COVERAGE_FROM + JitWarmup.COVERAGE_EVERY + 1));
        warmup.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        warmup.start();
        float[] c = new float[m * n];
        int checks = 0;
        do {
            k.gemm(false, true, m, n, inner, 1f, a, 0, inner, b, 0, inner, 0f, c, 0, n);
            assertArrayEquals(expected, c, 0f);
            checks++;
        } while (warmup.isAlive());
        warmup.join();
        assertNull(failure.get(), () -> "the warm-up failed: " + failure.get());
        assertTrue(checks > 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
