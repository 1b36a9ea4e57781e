package dev.regula.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;

/**
 * Draws a progress bar on one terminal line that is redrawn in place and erased when the task
 * ends, so the line printed next (an epoch's summary) starts on a clean line. The library's
 * interactive consumer instead leaves an empty line behind per bar. The width comes from the
 * library (JLine's terminal size).
 */
final class BarLine extends ConsoleProgressBarConsumer {
    private static final String ERASE_TO_END = "\u001b[K";
    private final PrintStream stream;

    BarLine(PrintStream stream) {
        super(stream);
        this.stream = stream;
    }

    @Override
    public void accept(String rendered) {
        super.accept(rendered);
        stream.print(ERASE_TO_END);
        stream.flush();
    }

    @Override
    public void clear() {
        stream.print("\r" + ERASE_TO_END);
        stream.flush();
    }

    @Override
    public void close() {
        stream.flush();
    }
}
