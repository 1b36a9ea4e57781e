#!/usr/bin/env python3
"""Whole processes, start to exit: `./regula train` against the PyTorch script, the same recipe.

    /usr/bin/python3 bench/whole_process.py --regula ./regula [--epochs 3] [--threads 2] [--rounds 5]
                                            [--torch-env "OMP_NUM_THREADS=2 ..."]

Issue 24's whole-process target: the reference MLP (`./regula train --reg 'l2(lambda=1e-4)'
--reg 'dropout(p=0.2)' --epochs 3`, 784-256-256-10, batch 128) timed as the user sees it, JVM start,
data loading and JIT warm-up included, against `python3 bench/fashion_mnist_mlp.py --epochs 3`
(interpreter start, `import torch`, data loading, 3 epochs). Wall clock from fork to exit.

Each round runs three processes one after the other: Regula as the launcher runs it (with its
start-up cache, created before the first round if missing), PyTorch, and Regula with REGULA_AOT=0
(no cache); the order rotates from round to round so no side always follows the same one. A
first, untimed, pass makes the launcher's cache and brings the data files into the page cache.
Regula runs with REGULA_NO_BUILD=1 (bench/run builds first) and --progress none.

Standard output: RESULT whole_s regula|torch <median seconds>, RESULT whole_noaot_s regula
<median seconds>, RESULT whole_test_acc regula|torch <percent of the last round> and an INFO line
with every round's figures. Standard error: one line per process.
"""
import argparse, glob, os, re, shlex, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"


def timed(command, env):
    """Runs a command to its end; returns (seconds, stdout). Exits on failure, showing its output."""
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"bench/whole_process.py: {shlex.join(command)} failed with exit code {done.returncode}:\n"
                 f"{done.stdout}{done.stderr}")
    return seconds, done.stdout


def accuracy(side, stdout):
    """The final test accuracy in percent from a side's standard output."""
    pattern = r"^final: test accuracy ([0-9.]+)" if side.startswith("regula") else r"^RESULT mnist_test_acc torch ([0-9.]+) %"
    m = re.search(pattern, stdout, re.M)
    if not m:
        sys.exit(f"bench/whole_process.py: no test accuracy in the output of {side}:\n{stdout}")
    return float(m.group(1)) * (100 if side.startswith("regula") else 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--regula", required=True, help="the ./regula launcher")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--torch-env", default="", help="VAR=VALUE ... for the PyTorch process (bench/run probes the fastest)")
    a = p.parse_args()
    if a.epochs < 1 or a.threads < 1 or a.rounds < 1:
        p.error("--epochs, --threads and --rounds must be >= 1")

    regula_env = dict(os.environ, REGULA_NO_BUILD="1")
    regula_env.pop("REGULA_AOT", None)
    torch_env = dict(os.environ)
    torch_env.update(item.split("=", 1) for item in shlex.split(a.torch_env))
    work = tempfile.mkdtemp(prefix="regula-whole-")

    def command(side, round_):
        if side == "torch":
            return [sys.executable, os.path.join(HERE, "fashion_mnist_mlp.py"), "--epochs", str(a.epochs),
                    "--threads", str(a.threads)], torch_env
        env = dict(regula_env, REGULA_AOT="0") if side == "regula_noaot" else regula_env
        return [a.regula, "train", "--reg", "l2(lambda=1e-4)", "--reg", "dropout(p=0.2)", "--epochs", str(a.epochs),
                "--threads", str(a.threads), "--progress", "none", "--out", os.path.join(work, f"{side}-{round_}")], env

    # untimed: the launcher's start-up cache (made on first use after a build) and the data in the page cache
    subprocess.run([a.regula, "list"], env=regula_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    for f in glob.glob(os.path.join(DATA, "*.gz")):
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass

    sides = ["regula", "torch", "regula_noaot"]
    seconds = {s: [] for s in sides}
    acc = {}
    for r in range(1, a.rounds + 1):
        k = (r - 1) % len(sides)
        for side in sides[k:] + sides[:k]:
            cmd, env = command(side, r)
            s, out = timed(cmd, env)
            seconds[side].append(s)
            acc[side] = accuracy(side, out)
            print(f"whole process, round {r}/{a.rounds}: {side:13s} {s:6.2f} s  test accuracy {acc[side]:.2f} %",
                  file=sys.stderr, flush=True)
    subprocess.run(["rm", "-rf", work])
    print(f"RESULT whole_s regula {statistics.median(seconds['regula']):.2f} s")
    print(f"RESULT whole_s torch {statistics.median(seconds['torch']):.2f} s")
    print(f"RESULT whole_noaot_s regula {statistics.median(seconds['regula_noaot']):.2f} s")
    print(f"RESULT whole_test_acc regula {acc['regula']:.2f} %")
    print(f"RESULT whole_test_acc torch {acc['torch']:.2f} %")
    print("INFO whole process rounds (s): " + "; ".join(
        f"{s} " + " ".join(f"{x:.2f}" for x in seconds[s]) for s in sides))


if __name__ == "__main__":
    main()
