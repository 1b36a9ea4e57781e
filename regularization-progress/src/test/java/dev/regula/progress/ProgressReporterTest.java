package dev.regula.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    @Test
    void linesModePrintsPlainLinesWithoutCarriageReturnsOrEscapes() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.LINES, "epoch 1/3", 10, out, Duration.ofMillis(1))) {
            Thread.sleep(5);
            r.update(4, "loss 0.5000");
            Thread.sleep(5);
            r.update(10, "loss 0.4000");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("  epoch 1/3  4/10 (40%)  loss 0.5000\n  epoch 1/3  10/10 (100%)  loss 0.4000\n", text.replace("\r\n", "\n"));
        assertFalse(text.contains("\r") || text.contains("\u001b"), text);
    }

    @Test
    void linesModeStaysQuietForShortTasks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.LINES, "t", 3, out, Duration.ofHours(1))) {
            for (int i = 1; i <= 3; i++) r.update(i, "x");
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void autoFollowsTheTtyPropertyAndModesParse() {
        String old = System.getProperty(ProgressMode.TTY_PROPERTY);
        try {
            System.setProperty(ProgressMode.TTY_PROPERTY, "false");
            assertEquals(ProgressMode.LINES, ProgressMode.AUTO.resolve());
            System.setProperty(ProgressMode.TTY_PROPERTY, "true");
            assertEquals(ProgressMode.BAR, ProgressMode.AUTO.resolve());
            assertEquals(ProgressMode.NONE, ProgressMode.NONE.resolve());
        } finally {
            if (old == null) System.clearProperty(ProgressMode.TTY_PROPERTY);
            else System.setProperty(ProgressMode.TTY_PROPERTY, old);
        }
        assertEquals(ProgressMode.BAR, ProgressMode.parse(" Bar "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgressMode.parse("fancy")).getMessage().contains("auto, bar, lines or none"));
    }

    @Test
    void aZeroIntervalPrintsEveryUpdateAndANegativeOneIsRefused() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.LINES, "t", 2, out, Duration.ZERO)) {
            r.update(1, "a");
            r.update(2, "b");
        }
        assertEquals("  t  1/2 (50%)  a\n  t  2/2 (100%)  b\n", bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressReporter.open(ProgressMode.LINES, "t", 2, out, Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("zero or positive"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgressReporter.open(ProgressMode.LINES, "t", 0, out, Duration.ZERO))
                .getMessage().contains("total must be >= 1"));
    }

    @Test
    void aMessageIsBuiltOnlyWhenItWillBeShown() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicInteger built = new AtomicInteger();
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.LINES, "t", 1000, out, Duration.ofHours(1))) {
            for (int i = 1; i <= 1000; i++) r.update(i, () -> "n " + built.incrementAndGet());
        }
        assertEquals(0, built.get(), "no line was due, so no message was needed");
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.NONE, "t", 1000, out, Duration.ZERO)) {
            for (int i = 1; i <= 1000; i++) r.update(i, () -> "n " + built.incrementAndGet());
        }
        assertEquals(0, built.get());
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.LINES, "t", 3, out, Duration.ZERO)) {
            for (int i = 1; i <= 3; i++) r.update(i, () -> "n " + built.incrementAndGet());
        }
        assertEquals(3, built.get(), "a line per update, each with its message");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("3/3 (100%)  n 3"), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theBarTakesAMessageAtMostEveryHundredMillisecondsAndOnTheLastUnit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicInteger built = new AtomicInteger();
        int total = 20_000;
        long start = System.nanoTime();
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.BAR, "t", total, out, Duration.ZERO)) {
            for (int i = 1; i < total; i++) r.update(i, () -> "n " + built.incrementAndGet());
            AtomicInteger last = new AtomicInteger();
            r.update(total, () -> "last " + last.incrementAndGet());
            assertEquals(1, last.get(), "the last unit's message is always taken");
        }
        long periods = (System.nanoTime() - start) / (ProgressReporter.BAR_MESSAGE_MILLIS * 1_000_000L);
        assertTrue(built.get() >= 1 && built.get() <= 1 + periods, built.get() + " messages in " + periods + " periods");
    }

    @Test
    void aStringMessageIsAlwaysTheBarsNewest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter r = ProgressReporter.open(ProgressMode.BAR, "t", 10, out, Duration.ZERO)) {
            r.update(2, "loss 0.4");
            r.update(2, "evaluating");
            assertEquals("evaluating", r.barMessage());
            r.update(3, () -> "lazy");
            assertEquals("evaluating", r.barMessage(), "a supplier within 100 ms of the last message waits");
        }
    }
}
