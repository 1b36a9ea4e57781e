#!/usr/bin/env python3
"""Times Regula's and PyTorch's Fashion-MNIST epochs in turns, so that both see the same machine.

    /usr/bin/python3 bench/lockstep.py --java JAVA --module-path LIB [--epochs 10] [--threads 2]
                                       [--torch-env "OMP_NUM_THREADS=2 ..."] [--hidden 256x256] [--batch 128]
                                       [--key mnist]

On a shared virtual machine the speed of a core can change by 2x for tens of seconds at a time
(a neighbour's load, not ours). Run one after the other, the two trainings can land in different
phases and their ratio then says more about the machine than about the code. Here both processes
start, load the data and build their models (bench/MnistLockstep.java for Regula, compiled ahead,
bench/fashion_mnist_mlp.py --lockstep for PyTorch), and then take turns: epoch 1 of Regula, epoch 1
of PyTorch, epoch 2 of PyTorch, epoch 2 of Regula, ... (the order alternates so neither always
follows the other). Before each turn it waits until the other process has used no CPU for
0.2 s, so one side's background work (the JVM's compiler, OpenMP threads spinning down) never
runs during the other's epoch. Each side times its own epochs, training plus test evaluation, as
before.

--hidden and --batch choose the MLP on both sides (1024x1024 and 512: the wide MLP of issue 24);
--key names the RESULT lines (mnist_epoch_s, ... by default; bench/run uses wide for the wide MLP).

Standard error gets one line per epoch pair. Standard output gets the RESULT lines bench/run
reads (mean and median seconds per epoch and the last test accuracy of each side) and an INFO
line with the median of the per-epoch ratios.
"""
import argparse, os, shlex, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")


class Side:
    """One training process and its READY / GO / EPOCH protocol."""

    def __init__(self, name, command, env):
        self.name = name
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1)
        self.seconds = []
        self.accuracy = None

    def expect(self, word):
        """Reads protocol lines, passing anything else to standard error, until one starts with word."""
        for line in self.proc.stdout:
            if line.startswith(word):
                return line.split()
            self.relay(line)
        sys.exit(f"bench/lockstep.py: {self.name} ended before printing {word} (exit code {self.proc.wait()})")

    @staticmethod
    def relay(line):
        """Passes a line of the process to standard error, except its own RESULT lines: this script
        prints the RESULT lines of both sides."""
        if not line.startswith("RESULT"):
            sys.stderr.write(line)

    def cpu_seconds(self):
        """User plus system CPU time of the process and all its threads."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def wait_idle(self, window=0.2, timeout=20.0):
        """Returns once the process used at most one clock tick of CPU in a window, or after timeout."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before <= 1.0 / TICK:
                return
            before = now
        print(f"bench/lockstep.py: {self.name} still busy after {timeout:.0f} s; going on", file=sys.stderr)

    def epoch(self, number):
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()
        _, n, seconds, accuracy = self.expect("EPOCH")
        if int(n) != number:
            sys.exit(f"bench/lockstep.py: {self.name} reported epoch {n}, expected {number}")
        self.seconds.append(float(seconds))
        self.accuracy = float(accuracy)


def compile_regula_side(java, module_path):
    """Compiles bench/MnistLockstep.java ahead, as regula train's own code is: launched from source,
    javac would run inside the timed JVM and its hot methods would queue in the JIT compiler ahead
    of the kernels'. Returns the class directory."""
    classes = tempfile.mkdtemp(prefix="regula-lockstep-")
    javac = os.path.join(os.path.dirname(java), "javac")
    done = subprocess.run([javac, "-nowarn", "-d", classes, "-p", module_path, "--add-modules", "ALL-MODULE-PATH",
                           os.path.join(HERE, "MnistLockstep.java")], capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(classes, ignore_errors=True)
        sys.exit(f"bench/lockstep.py: javac failed on MnistLockstep.java:\n{done.stdout}{done.stderr}")
    return classes


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--java", required=True, help="the java launcher of a JDK >= 21")
    p.add_argument("--module-path", required=True, help="regularization-examples/target/lib")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--torch-env", default="", help="VAR=VALUE ... for the PyTorch process (bench/run probes the fastest)")
    p.add_argument("--hidden", default="256x256", help="hidden layer sizes of the MLP on both sides (default 256x256)")
    p.add_argument("--batch", type=int, default=128, help="mini-batch size on both sides (default 128)")
    p.add_argument("--key", default="mnist", help="prefix of the RESULT keys (default mnist)")
    a = p.parse_args()

    classes = compile_regula_side(a.java, a.module_path)
    try:
        run_lockstep(a, classes)
    finally:
        shutil.rmtree(classes, ignore_errors=True)


def run_lockstep(a, classes):
    regula = Side("Regula", [a.java, "-Xmx8g", "-p", a.module_path, "--add-modules", "jdk.incubator.vector,ALL-MODULE-PATH",
                             "-cp", classes, "MnistLockstep", "--epochs", str(a.epochs), "--threads", str(a.threads),
                             "--model", f"mlp(hidden={a.hidden})", "--batch", str(a.batch)],
                  dict(os.environ))
    torch_env = dict(os.environ)
    torch_env.update(item.split("=", 1) for item in shlex.split(a.torch_env))
    torch = Side("PyTorch", [sys.executable, os.path.join(HERE, "fashion_mnist_mlp.py"), "--lockstep",
                             "--epochs", str(a.epochs), "--threads", str(a.threads),
                             "--hidden", a.hidden, "--batch", str(a.batch)], torch_env)
    try:
        for side in (regula, torch):
            side.expect("READY")
        for number in range(1, a.epochs + 1):
            order = (regula, torch) if number % 2 == 1 else (torch, regula)
            for side in order:
                for other in (regula, torch):
                    if other is not side:
                        other.wait_idle()
                side.epoch(number)
            r, t = regula.seconds[-1], torch.seconds[-1]
            print(f"epoch {number:2d}  Regula {r:6.3f} s  PyTorch {t:6.3f} s  ratio {r / t:5.2f}"
                  f"  (test accuracy {regula.accuracy:.4f} / {torch.accuracy:.4f}; {order[0].name} first)",
                  file=sys.stderr, flush=True)
        for side in (regula, torch):
            for line in side.proc.stdout:
                side.relay(line)
            if side.proc.wait() != 0:
                sys.exit(f"bench/lockstep.py: {side.name} exited with code {side.proc.returncode}")
    finally:
        for side in (regula, torch):
            if side.proc.poll() is None:
                side.proc.kill()
    for key, side in (("regula", regula), ("torch", torch)):
        print(f"RESULT {a.key}_epoch_s {key} {sum(side.seconds) / len(side.seconds):.3f} s")
        print(f"RESULT {a.key}_median_epoch_s {key} {statistics.median(side.seconds):.3f} s")
        print(f"RESULT {a.key}_test_acc {key} {100 * side.accuracy:.2f} %")
    ratios = [r / t for r, t in zip(regula.seconds, torch.seconds)]
    print(f"INFO lockstep {a.key}: median of the per-epoch ratios Regula/PyTorch {statistics.median(ratios):.2f}"
          f" (epochs {min(ratios):.2f} to {max(ratios):.2f})")


if __name__ == "__main__":
    main()
