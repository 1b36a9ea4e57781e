/* bench/core_round_trip.c: how far apart the first two CPUs of this machine are, measured.
 *
 *   gcc -O2 -pthread -o core_round_trip bench/core_round_trip.c && ./core_round_trip [label]
 *
 * Two threads, pinned to the first two CPUs this process may run on, hand one cache line back and
 * forth (each waits for the other's value, then writes its own): nanoseconds per round trip,
 * fastest of 7 runs of 200,000. Two cores sharing a last-level cache answer in well under 100 ns
 * (50-90 ns on the Zen 4 VMs measured; hyperthreads of one core sooner, cores of an Intel mesh
 * somewhat later); on a virtual machine whose two vCPUs the host placed on different core
 * complexes or sockets the same program read 300-400 ns, and every multi-threaded figure measured
 * then (ours and the peers') pays for each hand-over of data between the threads. The host may move the vCPUs at
 * any time, so bench/run measures this before and after its benchmarks.
 *
 * Prints: RESULT core_round_trip_<label> ns <ns> ns (label "start" by default).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define TRIPS 200000
#define RUNS 7

static _Alignas(64) atomic_long line;
static int cpus[2];

static void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *answer(void *arg) {
  (void) arg;
  pin(cpus[1]);
  for (long i = 1; i <= (long) TRIPS * RUNS; i++) {
    while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i - 1) {
    }
    atomic_store_explicit(&line, 2 * i, memory_order_release);
  }
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  const char *label = argc > 1 ? argv[1] : "start";
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
    perror("core_round_trip: sched_getaffinity");
    return 1;
  }
  int found = 0;
  for (int c = 0; c < CPU_SETSIZE && found < 2; c++) {
    if (CPU_ISSET(c, &allowed)) cpus[found++] = c;
  }
  if (found < 2) {
    fprintf(stderr, "core_round_trip: fewer than two CPUs to run on\n");
    return 1;
  }
  pin(cpus[0]);
  pthread_t other;
  if (pthread_create(&other, NULL, answer, NULL) != 0) {
    fprintf(stderr, "core_round_trip: cannot start the second thread\n");
    return 1;
  }
  double best = 1e30;
  long i = 1;
  for (int run = 0; run < RUNS; run++) {
    double t0 = now();
    for (long end = i + TRIPS; i < end; i++) {
      atomic_store_explicit(&line, 2 * i - 1, memory_order_release);
      while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i) {
      }
    }
    double ns = (now() - t0) * 1e9 / TRIPS;
    if (ns < best) best = ns;
  }
  pthread_join(other, NULL);
  printf("RESULT core_round_trip_%s ns %.0f ns\n", label, best);
  return 0;
}
