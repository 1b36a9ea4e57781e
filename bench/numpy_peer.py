#!/usr/bin/env python3
"""NumPy's half of bench/run: SGEMM n x n x n float32 (OpenBLAS through numpy.matmul) and a NumPy
axpy on the same element count as Regula's element-wise kernels.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy_peer.py gemm --key gemm_1t [--reps 21] [--size 1024]
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy_peer.py elementwise [--reps 21] [--elements 16777216]
    python3 bench/numpy_peer.py describe

`describe` prints one line, `BLAS <numpy version>|<OpenBLAS core>|<OpenBLAS version>|<library path>`:
the kernels OpenBLAS chose for this CPU (openblas_get_corename, under whichever symbol prefix the
build uses: Debian's plain one, the scipy_openblas64_ of NumPy 2.x wheels), so bench/run can tell a
fallback to an older core (OPENBLAS_CORETYPE) from the machine's real family.

The BLAS thread count is set by the caller through OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS), which
OpenBLAS reads when NumPy loads it, so each thread count runs in its own process.

Prints machine-readable lines: RESULT <key> numpy <value> <unit>, INFO numpy <text>.
Timing: median of --reps calls after warm-up calls. GEMM counts 2 n^3 flops per call.
axpy is `y += a * x` in place; it is counted as 12 bytes per element (x read, y read, y written),
the convention used for Regula's axpy, although NumPy streams more than that (it writes and
re-reads a temporary for a * x). `y += x` (one pass, same 12 bytes/element) is reported too as the
single-pass memory-bandwidth reference.
"""
import argparse, os, statistics, time
import numpy as np


def median_seconds(call, warm, reps):
    for _ in range(warm):
        call()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def blas_library():
    """The BLAS shared object NumPy actually loaded (read from /proc/self/maps), or 'unknown'."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")}
    except OSError:
        return "unknown"
    real = sorted({os.path.realpath(p) for p in paths})
    openblas = [p for p in real if "libopenblas" in p]
    return ", ".join(openblas or real) or "unknown"


def blas_core():
    """(core name, config string) of the OpenBLAS this process loaded, or ('unknown', '')."""
    import ctypes
    path = blas_library().split(", ")[0]
    if path == "unknown":
        return "unknown", ""
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return "unknown", ""

    def call(names):
        for name in names:
            f = getattr(lib, name, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                return (f() or b"").decode(errors="replace").strip()
        return ""

    stems = ["openblas_get_{}", "openblas_get_{}64_", "scipy_openblas_get_{}64_", "scipy_openblas_get_{}"]
    core = call([s.format("corename") for s in stems]) or "unknown"
    return core, call([s.format("config") for s in stems])


def result(key, value, unit):
    print(f"RESULT {key} numpy {value:.2f} {unit}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["gemm", "elementwise", "describe"])
    p.add_argument("--key", default="gemm_1t", help="result key of the GEMM figure, e.g. gemm_2t")
    p.add_argument("--reps", type=int, default=21)
    p.add_argument("--size", type=int, default=1024)
    p.add_argument("--elements", type=int, default=16 << 20)
    a = p.parse_args()
    rng = np.random.default_rng(42)
    if a.what == "describe":
        core, config = blas_core()
        version = next((w for w in config.split() if w[:1].isdigit()), "?")
        print(f"BLAS {np.__version__}|{core}|OpenBLAS {version}|{blas_library()}", flush=True)
        return
    if a.what == "gemm":
        n = a.size
        x = (rng.random((n, n), dtype=np.float32) - 0.5)
        y = (rng.random((n, n), dtype=np.float32) - 0.5)
        out = np.empty((n, n), dtype=np.float32)
        s = median_seconds(lambda: np.matmul(x, y, out=out), max(5, a.reps // 2), a.reps)
        result(a.key, 2.0 * n ** 3 / s / 1e9, "GFLOP/s")
        print(f"INFO numpy {a.key}: numpy {np.__version__}, BLAS {blas_library()}, core {blas_core()[0]}, "
              f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
              f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}", flush=True)
    else:
        n = a.elements
        x = rng.standard_normal(n, dtype=np.float32)
        y = np.zeros(n, dtype=np.float32)
        alpha = np.float32(1e-4)
        warm = max(3, a.reps // 3)

        def axpy():
            y.__iadd__(alpha * x)

        def add():
            y.__iadd__(x)

        result("numpy_axpy", 12.0 * n / median_seconds(axpy, warm, a.reps) / 1e9, "GB/s")
        result("numpy_add", 12.0 * n / median_seconds(add, warm, a.reps) / 1e9, "GB/s")


if __name__ == "__main__":
    main()
