package dev.regula.progress;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * How progress is shown while something long runs.
 *
 * <ul>
 *   <li>{@link #BAR}: a live progress bar redrawn in place (needs a terminal);</li>
 *   <li>{@link #LINES}: a plain line every few seconds, for logs and CI (no carriage returns,
 *       no escape codes);</li>
 *   <li>{@link #NONE}: nothing;</li>
 *   <li>{@link #AUTO}: {@code BAR} on a terminal, {@code LINES} otherwise.</li>
 * </ul>
 */
public enum ProgressMode {
    /** {@link #BAR} on a terminal, {@link #LINES} otherwise. */
    AUTO,
    /** A live bar redrawn in place. */
    BAR,
    /** A plain line every few seconds. */
    LINES,
    /** No progress output. */
    NONE;

    /**
     * System property that tells whether standard error is a terminal ({@code true}/{@code false});
     * the {@code regula} launcher sets it from {@code [[ -t 2 ]]}. Without it the JVM's own
     * console detection decides.
     */
    public static final String TTY_PROPERTY = "regula.tty";

    /**
     * @param text {@code auto}, {@code bar}, {@code lines} or {@code none}, any case
     * @return the mode
     * @throws IllegalArgumentException for other text
     */
    public static ProgressMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("progress mode must be auto, bar, lines or none, got '" + text + "'", e);
        }
    }

    /** @return this mode with {@link #AUTO} replaced by {@link #BAR} or {@link #LINES} */
    public ProgressMode resolve() {
        return this != AUTO ? this : onTerminal() ? BAR : LINES;
    }

    /** @return whether progress output goes to a terminal, as far as the JVM can tell */
    static boolean onTerminal() {
        String told = System.getProperty(TTY_PROPERTY);
        if (told != null) return Boolean.parseBoolean(told);
        Console console = System.console();
        if (console == null) return false;
        try {
            // JDK 22+ may return a console for redirected streams; Console.isTerminal() tells (not in release 21's API).
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console means stdin and stdout are a terminal
        }
    }
}
