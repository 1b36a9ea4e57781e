package dev.regula.bench;

import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Regularizer, optimizer and activation kernels on n floats, scalar against SIMD (average time per call). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class ElementwiseBenchmark {
    /** Element count. */
    @Param({"65536", "1048576"})
    public int n;
    /** Provider name. */
    @Param({"scalar", "vector"})
    public String kernels;

    private Kernels k;
    private float[] x;
    private float[] y;
    private float[] g;
    private float[] m;
    private float[] v;
    private float[] mask;
    private long key;

    /** Allocates the operands. */
    @Setup
    public void setUp() {
        k = BenchKernels.create(kernels, 1);
        Random rnd = new Random(7);
        x = new float[n];
        y = new float[n];
        g = new float[n];
        m = new float[n];
        v = new float[n];
        mask = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
            g[i] = (float) rnd.nextGaussian() * 1e-3f;
        }
        key = CounterRng.key(1, CounterRng.stream("bench"), 1);
    }

    /** @return y */
    @Benchmark
    public float[] axpy() {
        k.axpy(n, 1e-4f, x, 0, y, 0);
        return y;
    }

    /** @return Σx² */
    @Benchmark
    public double sumSquares() {
        return k.sumSquares(n, x, 0);
    }

    /** @return the mask */
    @Benchmark
    public float[] dropout() {
        k.dropout(n, 0.2f, key, x, y, mask);
        return mask;
    }

    /** @return the parameters (L1 proximal step; shrinks by a tiny threshold so data stays alive) */
    @Benchmark
    public float[] softThreshold() {
        k.softThreshold(n, 1e-9f, x, 0);
        return x;
    }

    /** @return tanh(x) */
    @Benchmark
    public float[] tanh() {
        k.tanh(n, x, y);
        return y;
    }

    /** @return σ(x) */
    @Benchmark
    public float[] sigmoid() {
        k.sigmoid(n, x, y);
        return y;
    }

    /** @return leaky ReLU's input gradient */
    @Benchmark
    public float[] leakyReluBackward() {
        k.leakyReluBackward(n, 0.2f, x, g, y);
        return y;
    }

    /** @return the parameters */
    @Benchmark
    public float[] adam() {
        k.adam(n, 1e-7f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, x, g, m, v);
        return x;
    }
}
