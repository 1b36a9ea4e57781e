package dev.regula.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;

/**
 * Draws a progress bar on one terminal line that is redrawn in place and erased when the task
 * ends, so the line printed next (an epoch's summary) starts on a clean line. The library's
 * interactive consumer instead leaves an empty line behind per bar. The width comes from the
 * library (JLine's terminal size).
 *
 * <p>The library draws from its own refresh thread; once the line is cleared, a drawing that
 * arrives late is dropped, so an erased bar never comes back, and {@link #clear()} may be called
 * again (by {@link ProgressReporter#close()}, whatever the library did) without effect.
 */
final class BarLine extends ConsoleProgressBarConsumer {
    private static final String ERASE_TO_END = "\u001b[K";
    private final PrintStream stream;
    private boolean cleared;

    BarLine(PrintStream stream) {
        super(stream);
        this.stream = stream;
    }

    @Override
    public synchronized void accept(String rendered) {
        if (cleared) return;
        super.accept(rendered);
        stream.print(ERASE_TO_END);
        stream.flush();
    }

    @Override
    public synchronized void clear() {
        if (cleared) return;
        cleared = true;
        stream.print("\r" + ERASE_TO_END);
        stream.flush();
    }

    @Override
    public void close() {
        stream.flush();
    }
}
