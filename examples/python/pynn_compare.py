#!/usr/bin/env python3
"""Runs examples/python/pynn_cuba.py unchanged on several PyNN backends over several seeds and prints a table.

    python3 examples/python/pynn_compare.py --simulators neuromesh brian2 --seeds 1 2 3 4 5 --size 1000 --duration 500

Each run is its own process (this interpreter). Per population and simulator: the mean over the seeds of the firing
rate, mean ISI CV and fraction of firing cells (± the standard deviation over seeds), and each statistic's deviation
from the mean of the other simulators; plus the mean build and run wall times. --json writes every run's numbers.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pynn_cuba.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulators", nargs="+", default=["neuromesh", "brian2"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=500.0)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    runs = {s: [] for s in args.simulators}
    with tempfile.TemporaryDirectory() as folder:
        for seed in args.seeds:
            for simulator in args.simulators:
                path = os.path.join(folder, f"{simulator}-{seed}.json")
                command = [sys.executable, SCRIPT, "--simulator", simulator, "--seed", str(seed),
                           "--size", str(args.size), "--duration", str(args.duration), "--json", path]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode != 0:
                    print(done.stdout, done.stderr, file=sys.stderr)
                    return 1
                with open(path) as f:
                    runs[simulator].append(json.load(f))
                print(f"seed {seed} {simulator}: E {runs[simulator][-1]['E']['rate']:.2f} Hz, "
                      f"I {runs[simulator][-1]['I']['rate']:.2f} Hz", file=sys.stderr, flush=True)

    print(f"CUBA, {args.size} cells, {args.duration:g} ms, seeds {' '.join(map(str, args.seeds))}\n")
    print("| population | statistic | " + " | ".join(args.simulators) + " | " +
          " | ".join(f"{s} vs others" for s in args.simulators) + " |")
    print("|---|---|" + "---|" * (2 * len(args.simulators)))
    for population in ("E", "I"):
        for statistic, unit in (("rate", " Hz"), ("cv", ""), ("fraction", "")):
            means = {s: np.mean([r[population][statistic] for r in runs[s]]) for s in args.simulators}
            sds = {s: np.std([r[population][statistic] for r in runs[s]]) for s in args.simulators}
            cells = [f"{means[s]:.3f} ± {sds[s]:.3f}{unit}" for s in args.simulators]
            deviations = []
            for s in args.simulators:
                others = [means[o] for o in args.simulators if o != s]
                reference = np.mean(others) if others else float("nan")
                deviations.append(f"{100 * (means[s] - reference) / reference:+.1f}%")
            print(f"| {population} | {statistic} | " + " | ".join(cells) + " | " + " | ".join(deviations) + " |")
    print("\n| simulator | build (s) | run (s) |\n|---|---|---|")
    for s in args.simulators:
        build, ran = np.mean([r["build_s"] for r in runs[s]]), np.mean([r["run_s"] for r in runs[s]])
        print(f"| {s} | {build:.2f} | {ran:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(runs, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
