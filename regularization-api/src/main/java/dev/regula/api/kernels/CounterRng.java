package dev.regula.api.kernels;

/**
 * A counter-based random number generator: the i-th number of a stream is a pure function of
 * (seed, stream, step, i), so dropout masks are identical whatever the thread count, batch
 * split or SIMD width (the idea of Philox; the mixing function is SplitMix64's finaliser).
 *
 * <p>{@code uniform(key(seed, stream, step), i)} is the contract every {@link Kernels}
 * implementation reproduces bit for bit.
 */
public final class CounterRng {
    /** The SplitMix64 increment (golden ratio). */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterRng() {
    }

    /**
     * @param seed the run seed
     * @param stream a stream id (e.g. the hash of a layer name)
     * @param step the training step
     * @return the key of that stream at that step
     */
    public static long key(long seed, long stream, long step) {
        return mix(mix(mix(seed) ^ stream) + step * GOLDEN);
    }

    /**
     * @param key a stream key
     * @param index the element index
     * @return a uniform float in [0, 1) with 24 random bits
     */
    public static float uniform(long key, long index) {
        return (mix(key + index * GOLDEN) >>> 40) * 0x1.0p-24f;
    }

    /**
     * Standard normal by Box–Muller on two counter-based uniforms (indices 2i and 2i+1).
     *
     * @param key a stream key
     * @param index the element index
     * @return a N(0, 1) sample
     */
    public static float gaussian(long key, long index) {
        double u1 = ((mix(key + (2 * index) * GOLDEN) >>> 11) + 1) * 0x1.0p-53;
        double u2 = (mix(key + (2 * index + 1) * GOLDEN) >>> 11) * 0x1.0p-53;
        return (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }

    /**
     * @param name a layer or parameter name
     * @return a stream id for it
     */
    public static long stream(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) h = 31 * h + name.charAt(i);
        return mix(h);
    }

    /**
     * SplitMix64's finaliser.
     *
     * @param z input
     * @return mixed bits
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
