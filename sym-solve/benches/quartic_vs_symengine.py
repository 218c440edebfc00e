#!/usr/bin/env python3
"""The guarded general quartic against SymEngine's solve, timed alternately in the same run.

Wall-clock speed on a shared machine drifts by 2x within seconds, so a reference figure measured
at another time says little. This script alternates short timings of both solvers (each the best
of 5 rounds of 300 solves) ROUNDS times and prints minima, medians and the median of the paired
ratios.

    pip install symengine        # the Python wrapper of SymEngine's C++ library
    python3 sym-solve/benches/quartic_vs_symengine.py [ROUNDS]

It builds `sym-solve`'s `quartic_loop` example in release mode first. SymEngine's answer is the
four Ferrari roots with no guards; ours has 21 branches under their guards (see `sym solve
"a*x**4 + b*x**3 + c*x**2 + d*x + e" --for x`).
"""
import re
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

N = 300


def symengine_once():
    import symengine
    from symengine.lib.symengine_wrapper import solve

    a, b, c, d, e, x = symengine.symbols("a b c d e x")
    f = a * x**4 + b * x**3 + c * x**2 + d * x + e
    assert len(solve(f, x).args) == 4
    best = min(timeit.repeat(lambda: solve(f, x), number=N, repeat=5)) / N
    print(f"best {best * 1e6:.1f} us per solve")


def main():
    if sys.argv[1:] == ["--symengine-once"]:
        return symengine_once()
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    root = Path(__file__).resolve().parents[2]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "sym-solve", "--example", "quartic_loop"],
                   cwd=root, check=True)
    ours_bin = root / "target" / "release" / "examples" / "quartic_loop"

    def time(cmd):
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        return float(re.search(r"best ([\d.]+) us", out).group(1))

    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(time([str(ours_bin), str(N), "--time"]))
        theirs.append(time([sys.executable, __file__, "--symengine-once"]))
    ratios = [o / t for o, t in zip(ours, theirs)]
    print(f"sym (guards, 21 branches): min {min(ours):.1f} / median {statistics.median(ours):.1f} us")
    print(f"SymEngine (no guards, 4 roots): min {min(theirs):.1f} / median {statistics.median(theirs):.1f} us")
    print(f"ratio sym/SymEngine: of minima {min(ours) / min(theirs):.2f}, "
          f"median of paired ratios {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
