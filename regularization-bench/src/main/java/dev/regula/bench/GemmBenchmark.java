package dev.regula.bench;

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

/**
 * Square SGEMM C = A·B (beta = 0). Throughput in operations per second; GFLOP/s = ops/s · 2n³ / 1e9.
 * Scalar sizes are kept small: the scalar reference needs seconds for 1024³.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class GemmBenchmark {
    /** Matrix size n (n×n×n). */
    @Param({"128", "512", "1024"})
    public int n;
    /** Threads the kernels may use. */
    @Param({"1", "2"})
    public int threads;
    /** Provider name. */
    @Param({"vector"})
    public String kernels;

    private Kernels k;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Allocates the operands. */
    @Setup
    public void setUp() {
        k = BenchKernels.create(kernels, threads);
        Random rnd = new Random(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
    }

    /** @return C, so the work is not eliminated */
    @Benchmark
    public float[] gemm() {
        k.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
