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
        for (int round = 0; round < 2_000; round++) {
            int[] runs = new int[3];
            Thread[] where = new Thread[3];
            team.run(3, part -> {
                runs[part]++;
                where[part] = Thread.currentThread();
            });
            assertArrayEquals(new int[] {1, 1, 1}, runs, "round " + round);
            assertSame(Thread.currentThread(), where[0]);
            assertTrue(where[1] != where[0] && where[2] != where[0] && where[1] != where[2], "three different threads");
        }
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
    void aFailureInAHelperIsRethrownAfterEveryPartEnded() {
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
        assertEquals("part 0", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("part 1", e.getSuppressed()[0].getMessage());
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
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(0));
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(2, -1, 0));
        WorkerTeam team = new WorkerTeam(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> team.run(3, part -> { }));
        assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
    }
}
