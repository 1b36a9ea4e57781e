package dev.regula.core.io;

import java.util.Locale;

/**
 * How much memory this JVM can still give, for checking a size a file or an option claims before
 * allocating it, so that a claim the machine cannot hold fails with a message naming the limit
 * instead of an {@link OutOfMemoryError} minutes later.
 *
 * <p>The budget is the heap limit ({@code -Xmx}) minus what is in use now. It is an upper bound:
 * a request within it may still fail if the heap is fragmented or other threads allocate, so
 * callers check the large allocations they know about, not every array.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** @return bytes the heap can still grow to hold: max heap minus the bytes in use now */
    public static long availableBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param bytes a size in bytes (negative means it overflowed: never fits)
     * @return true if {@code bytes} fit in {@link #availableBytes()}
     */
    public static boolean fits(long bytes) {
        return bytes >= 0 && bytes <= availableBytes();
    }

    /**
     * {@link #fits}, asking for a full collection first when the answer would be no: the heap in
     * use counts garbage until a collection, so a reader that has dropped large buffers may have
     * the room it seems to lack. For a large allocation that would otherwise be refused, not for
     * every array.
     *
     * @param bytes a size in bytes (negative means it overflowed: never fits)
     * @return true if {@code bytes} fit in {@link #availableBytes()}, after a collection if needed
     */
    public static boolean fitsAfterCollecting(long bytes) {
        if (fits(bytes)) return true;
        if (bytes < 0 || bytes > Runtime.getRuntime().maxMemory()) return false;
        System.gc();
        return fits(bytes);
    }

    /**
     * @param bytes a size that did not fit
     * @return text such as {@code "6.4 GB, but this JVM's heap (-Xmx 1.0 GB) has 0.9 GB free"} for messages
     */
    public static String shortfall(double bytes) {
        return human(bytes) + ", but this JVM's heap (-Xmx " + human(Runtime.getRuntime().maxMemory()) + ") has "
                + human(availableBytes()) + " free; raise -Xmx (for ./regula: JAVA_OPTS=-Xmx...)";
    }

    /**
     * @param bytes a byte count
     * @return it in B, KB, MB, GB or TB with three significant digits
     */
    public static String human(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        double v = bytes;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
    }
}
