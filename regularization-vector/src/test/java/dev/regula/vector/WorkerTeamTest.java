package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerTeamTest {

    @Test
    void everyPartRunsOnceAndPartZeroOnTheCaller() {
        WorkerTeam team = new WorkerTeam(3);
        for (int parts : new int[] {1, 2, 3, 7, 64}) {
            for (int round = 0; round < 500; round++) {
                int[] runs = new int[parts];
                Thread[] where = new Thread[parts];
                team.run(parts, part -> {
                    runs[part]++;
                    where[part] = Thread.currentThread();
                });
                int[] once = new int[parts];
                java.util.Arrays.fill(once, 1);
                assertArrayEquals(once, runs, parts + " parts, round " + round);
                assertSame(Thread.currentThread(), where[0]);
            }
        }
    }

    @Test
    void helpersTakePartsWhenTheCallerIsBusy() {
        WorkerTeam team = new WorkerTeam(3);
        java.util.Set<Thread> threads = ConcurrentHashMap.newKeySet();
        team.run(3, part -> {
            threads.add(Thread.currentThread());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threads.size() < 3 && System.nanoTime() < deadline) Thread.onSpinWait();
        });
        assertEquals(3, threads.size(), "each part waited for the others: they ran on three threads at once");
    }

    @Test
    void partsAreNotHeldBackByABusyHelper() {
        // The helper takes one part and is held there until the caller has run all the others:
        // with a static split (half the parts each) this would deadlock.
        WorkerTeam team = new WorkerTeam(2);
        CountDownLatch helperStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger onCaller = new AtomicInteger();
        Thread caller = Thread.currentThread();
        team.run(50, part -> {
            try {
                if (Thread.currentThread() != caller) {
                    helperStarted.countDown();
                    assertTrue(release.await(10, TimeUnit.SECONDS), "released by the caller");
                    return;
                }
                if (part == 0) assertTrue(helperStarted.await(10, TimeUnit.SECONDS), "the helper took a part");
                if (onCaller.incrementAndGet() == 49) release.countDown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(49, onCaller.get(), "the helper held one part; the caller ran the other 49");
    }

    @Test
    void resultsOfHelpersAreVisibleToTheCallerAfterRun() {
        WorkerTeam team = new WorkerTeam(2);
        float[] data = new float[1 << 16];
        for (int round = 1; round <= 200; round++) {
            float value = round;
            team.run(2, part -> {
                for (int i = part; i < data.length; i += 2) data[i] = value;
            });
            for (float f : data) assertEquals(value, f);
        }
    }

    @Test
    void aFailureInAnyPartIsRethrownAfterEveryPartEnded() {
        WorkerTeam team = new WorkerTeam(3);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(3, part -> {
            if (part == 2) throw new IllegalStateException("part 2 failed");
            finished.incrementAndGet();
        }));
        assertEquals("part 2 failed", e.getMessage());
        assertEquals(2, finished.get());
        // the team still works afterwards
        int[] runs = new int[3];
        team.run(3, part -> runs[part]++);
        assertArrayEquals(new int[] {1, 1, 1}, runs);
    }

    @Test
    void failuresOfSeveralPartsAreKeptAsSuppressed() {
        WorkerTeam team = new WorkerTeam(2);
        RuntimeException e = assertThrows(RuntimeException.class, () -> team.run(2, part -> {
            throw new RuntimeException("part " + part);
        }));
        assertEquals("part 0", e.getMessage(), "the lowest part's failure, whichever thread failed first");
        assertEquals(1, e.getSuppressed().length);
        assertEquals("part 1", e.getSuppressed()[0].getMessage());
        RuntimeException many = assertThrows(RuntimeException.class, () -> team.run(9, part -> {
            if (part % 2 == 1) throw new RuntimeException("part " + part);
        }));
        assertEquals("part 1", many.getMessage());
        assertEquals(List.of("part 3", "part 5", "part 7"),
                java.util.Arrays.stream(many.getSuppressed()).map(Throwable::getMessage).toList());
    }

    @Test
    void aJobSubmittedWhileTheTeamIsBusyRunsOnItsOwnCaller() throws Exception {
        WorkerTeam team = new WorkerTeam(2);
        List<Thread> nested = new ArrayList<>();
        team.run(2, part -> {
            if (part != 0) return;
            team.run(2, inner -> nested.add(Thread.currentThread())); // nested: the team is busy
        });
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), nested);

        // many threads submitting at once: every job still runs every part exactly once
        int callers = 4;
        int rounds = 500;
        ConcurrentHashMap<Integer, Integer> runs = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    int job = id * rounds + r;
                    team.run(2, part -> runs.merge(job * 2 + part, 1, Integer::sum));
                }
                done.countDown();
            });
            t.start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertEquals(callers * rounds * 2, runs.size());
        assertTrue(runs.values().stream().allMatch(v -> v == 1));
    }

    @Test
    void idleHelpersParkExitAndAreRestartedOnDemand() throws Exception {
        WorkerTeam team = new WorkerTeam(2, 0, TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(0, team.liveHelpers(), "no thread before the first job");
        AtomicInteger runs = new AtomicInteger();
        team.run(2, part -> runs.incrementAndGet());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (team.liveHelpers() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(0, team.liveHelpers(), "the idle helper exited");
        for (int i = 0; i < 300; i++) { // jobs racing with parking and exiting helpers
            team.run(2, part -> runs.incrementAndGet());
            if (i % 50 == 0) Thread.sleep(25);
        }
        assertEquals(2 * 301, runs.get());
    }

    @Test
    void rangesCoverTheExtentOnceInAlignedPieces() {
        WorkerTeam team = new WorkerTeam(2);
        int[][] cases = {{1, 8, 64}, {100, 8, 64}, {1000, 8, 64}, {1000, 8, 1}, {256, 8, 32}, {784, 8, 32}, {5, 3, 2}};
        for (int[] c : cases) {
            int extent = c[0];
            int maxParts = c[1];
            int align = c[2];
            int[] hits = new int[extent];
            List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
            team.runRanges(extent, maxParts, align, (from, to) -> {
                ranges.add(new int[] {from, to});
                for (int i = from; i < to; i++) hits[i]++;
            });
            int[] once = new int[extent];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, hits, java.util.Arrays.toString(c));
            assertTrue(ranges.size() <= maxParts, java.util.Arrays.toString(c));
            for (int[] r : ranges) {
                assertTrue(r[0] % align == 0 && (r[1] == extent || (r[1] - r[0]) % align == 0), java.util.Arrays.toString(r));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> team.runRanges(0, 8, 64, (from, to) -> { }));
        assertThrows(IllegalArgumentException.class, () -> team.runRanges(10, 0, 64, (from, to) -> { }));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(0));
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(2, -1, 0));
        WorkerTeam team = new WorkerTeam(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> team.run(0, part -> { }));
        assertTrue(e.getMessage().contains(">= 1, got 0"), e.getMessage());
    }
}
