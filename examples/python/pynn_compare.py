#!/usr/bin/env python3
"""Runs the PyNN example scripts unchanged on several backends over several seeds and prints a comparison table.

    python3 examples/python/pynn_compare.py --simulators neuromesh brian2 neuron --seeds 1 2 3 4 5 \
        --models cuba coba stdp brunel-SR brunel-AI brunel-SI-fast brunel-SI-slow --out results/

Each run is its own process (this interpreter) and writes its JSON into --out (kept: a later call with --table-only
prints the table from what is there). Per model, population and simulator: the mean over the seeds of the firing
rate, mean ISI CV and fraction of firing cells (± the standard deviation over seeds); the first simulator's
deviation from the mean of the others (the references) that have runs, and how far the references are from each
other.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = {"cuba": ("pynn_cuba.py", []), "coba": ("pynn_coba.py", []), "stdp": ("pynn_stdp.py", [])}
for _regime in ("SR", "AI", "SI-fast", "SI-slow"):
    SCRIPTS[f"brunel-{_regime}"] = ("pynn_brunel.py", ["--regime", _regime])


def run_one(model, simulator, seed, out, extra, timeout):
    script, options = SCRIPTS[model]
    path = os.path.join(out, f"{model}.{simulator}.{seed}.json")
    if os.path.exists(path):
        return path
    command = [sys.executable, os.path.join(HERE, script), "--simulator", simulator, "--seed", str(seed),
               "--json", path, *options, *extra]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{model} {simulator} seed {seed}: timed out after {timeout} s", file=sys.stderr, flush=True)
        return None
    if done.returncode != 0:
        print(f"{model} {simulator} seed {seed} failed:\n{done.stdout}\n{done.stderr[-3000:]}", file=sys.stderr,
              flush=True)
        return None
    print(f"{model} {simulator} seed {seed}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return path


def table(out, models, simulators):
    runs = {}
    for path in glob.glob(os.path.join(out, "*.json")):
        with open(path) as f:
            r = json.load(f)
        runs.setdefault((r.get("model", "cuba"), r["simulator"]), []).append(r)
    lines = []
    first, references = simulators[0], simulators[1:]
    head = (["model", "population", "statistic"] + simulators + [f"{first} vs references' mean"] +
            ([f"vs {s}" for s in references] + ["references' spread"] if len(references) > 1 else []))
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for model in models:
        present = {s: runs.get((model, s), []) for s in simulators}
        available = [s for s in references if present[s]]
        if not present[first] or not available:
            lines.append(f"| {model} | (missing runs: " +
                         ", ".join(s for s in simulators if not present[s]) + ") |")
            continue
        labels = present[first][0].get("populations", ["E", "I"])
        for label in labels:
            for statistic, unit in (("rate", " Hz"), ("cv", ""), ("fraction", "")):
                values = {s: np.array([r[label][statistic] for r in present[s]], dtype=float)
                          for s in simulators if present[s]}
                means = {s: float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
                         for s, v in values.items()}
                cells = [f"{means[s]:.3f} ± {np.nanstd(values[s]):.3f}{unit} (n={len(values[s])})"
                         if s in values else "(no run)" for s in simulators]
                reference = float(np.mean([means[s] for s in available]))
                row = [model, label, statistic, *cells, f"{100 * (means[first] - reference) / reference:+.1f}%"]
                if len(references) > 1:
                    row += [f"{100 * (means[first] - means[s]) / means[s]:+.1f}%" if s in means else "-"
                            for s in references]
                    if len(available) > 1:
                        spread = max(means[s] for s in available) - min(means[s] for s in available)
                        row.append(f"{100 * spread / reference:.1f}%")
                    else:
                        row.append("(one reference)")
                lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("| model | " + " | ".join(f"{s} build / run (s)" for s in simulators) + " |")
    lines.append("|---|" + "---|" * len(simulators))
    for model in models:
        cells = []
        for s in simulators:
            rs = runs.get((model, s), [])
            cells.append(f"{np.mean([r['build_s'] for r in rs]):.2f} / {np.mean([r['run_s'] for r in rs]):.2f}"
                         if rs else "-")
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulators", nargs="+", default=["neuromesh", "brian2", "neuron"],
                        help="the first is compared against the mean of the others")
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--models", nargs="+", default=list(SCRIPTS), choices=list(SCRIPTS))
    parser.add_argument("--size", type=int, default=None, help="instead of each script's default")
    parser.add_argument("--duration", type=float, default=None, help="ms, instead of each script's default")
    parser.add_argument("--timeout", type=float, default=600.0, help="s per run")
    parser.add_argument("--out", required=True, help="a folder for each run's JSON (kept)")
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    extra = (["--size", str(args.size)] if args.size else []) + \
            (["--duration", str(args.duration)] if args.duration else [])
    failed = 0
    if not args.table_only:
        for model in args.models:
            for seed in args.seeds:
                for simulator in args.simulators:
                    if run_one(model, simulator, seed, args.out, extra, args.timeout) is None:
                        failed += 1
    print(table(args.out, args.models, args.simulators))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
