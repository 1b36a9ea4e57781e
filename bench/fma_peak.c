/* bench/fma_peak.c: the single-precision FMA peak of one core of this machine, measured.
 *
 *   gcc -O2 -march=native -o fma_peak bench/fma_peak.c && ./fma_peak [threads]
 *
 * Each thread runs a loop of ACC independent vector fused multiply-adds (no loads, no stores),
 * ACC chosen large enough to cover FMA latency x FMA ports on every current x86 core (4-5 cycles x
 * 2 ports = 8-10 in flight; 24 are used). Prints, for the widest vector ISA the compiler was told
 * about (AVX-512, else AVX2+FMA): RESULT fma_peak_<t>t peak <GFLOP/s> GFLOP/s, best of 7 runs,
 * counting 2 flops per lane per FMA. Threads run the same loop at the same time, so the N-thread
 * figure includes any clock drop under all-core load.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ACC 24
#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET1(x) _mm512_set1_ps(x)
#define ISA "avx512"
static float hsum(vec v) { return _mm512_reduce_add_ps(v); }
#elif defined(__FMA__)
typedef __m256 vec;
#define LANES 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET1(x) _mm256_set1_ps(x)
#define ISA "avx2-fma"
static float hsum(vec v) { float t[8]; _mm256_storeu_ps(t, v); float s = 0; for (int i = 0; i < 8; i++) s += t[i]; return s; }
#else
#error "needs FMA: compile with -march=native on a machine with FMA"
#endif

static const long ITERS = 20000000L;
static volatile float sink;

static void *run(void *arg) {
    (void) arg;
    vec acc[ACC];
    for (int i = 0; i < ACC; i++) acc[i] = SET1(0.001f * i);
    vec a = SET1(0.999999f), b = SET1(1e-7f);
    for (long it = 0; it < ITERS; it++) {
#pragma GCC unroll 24
        for (int i = 0; i < ACC; i++) acc[i] = FMA(acc[i], a, b);
        __asm__ volatile("" : "+v"(a)); /* keeps the compiler from folding the loop */
    }
    float s = 0;
    for (int i = 0; i < ACC; i++) s += hsum(acc[i]);
    sink = s;
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 1024) { fprintf(stderr, "fma_peak: threads must be 1..1024, got '%s'\n", argv[1]); return 2; }
    pthread_t *tid = malloc(sizeof(pthread_t) * threads);
    double best = 0;
    for (int rep = 0; rep < 7; rep++) {
        double t0 = now();
        for (int t = 0; t < threads; t++) pthread_create(&tid[t], NULL, run, NULL);
        for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
        double gf = 2.0 * LANES * ACC * (double) ITERS * threads / (now() - t0) / 1e9;
        if (gf > best) best = gf;
    }
    printf("RESULT fma_peak_%dt peak %.1f GFLOP/s\n", threads, best);
    printf("INFO peak %s, %d lanes, %d independent accumulators, best of 7 runs\n", ISA, LANES, ACC);
    free(tid);
    return 0;
}
