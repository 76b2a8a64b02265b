#!/usr/bin/python3
"""Regenerates validate_stats.json: Brian2's statistics of the short validation networks for seeds 1-5.

Runs brian2_validate.py (next to this file) once per network and seed, sequentially, and writes per network: the
NeuroMesh spec it matches, the run's length and analysis window, population sizes, each seed's statistics per
population and their mean over the seeds. Tests/Engine/Brian2ValidationTests.cs compares our CpuEngine with the mean.

The short versions: 300 ms (SI slow: 1100 ms; over 200 ms its 5-seed mean rate moved by 20% between seed sets of
one simulator), the first 100 ms left out, Fano factor bins of 50 ms; the four Brunel regimes scaled to N_E = 4000,
N_I = 1000 with the in-degrees kept (C_E = 1000, C_I = 250, so the mean-field input is the published one), COBA and
the delay network at full size.
Usage (from the repository root): /usr/bin/python3 Tests/Fixtures/brian2/regenerate_validate.py [--networks a,b]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "brian2_validate.py")

# network -> (spec relative to the repository root, sizes override or None, simulated ms)
SHORT = {
    "brunel_sr": ("examples/brunel_sr.json", {"E": 4000, "I": 1000}, 300.0),
    "brunel_ai": ("examples/brunel.json", {"E": 4000, "I": 1000}, 300.0),
    "brunel_si_fast": ("examples/brunel_si_fast.json", {"E": 4000, "I": 1000}, 300.0),
    "brunel_si_slow": ("examples/brunel_si_slow.json", {"E": 4000, "I": 1000}, 1100.0),
    "coba": ("examples/coba.json", None, 300.0),
    "delays": ("examples/delta_delays.json", None, 300.0),
}
WARMUP_MS, BIN_MS = 100.0, 50.0
KEYS = ("rate_hz", "cv_isi", "fraction_firing", "fano")

ap = argparse.ArgumentParser()
ap.add_argument("--networks", default=",".join(SHORT))
ap.add_argument("--seeds", default="1,2,3,4,5")
ap.add_argument("--mode", default="standalone", choices=["standalone", "numpy", "cython"])
ap.add_argument("--out", default=os.path.join(here, "validate_stats.json"))
a = ap.parse_args()

doc = {"networks": {}}
if os.path.exists(a.out):
    with open(a.out) as f:
        doc = json.load(f)  # networks not named in --networks keep their cached entries
doc.update({
    "brian2": "2.5.1", "brian2_mode": a.mode, "script": "Tests/Fixtures/brian2/brian2_validate.py",
    "definitions": {
        "window": "spikes with tick in [warmup, duration); rate per neuron per second of the window",
        "cv_isi": "mean over neurons with >= 3 spikes of std(ISI)/mean(ISI) (population std)",
        "fraction_firing": "neurons with >= 1 spike in the window / neurons",
        "fano": "mean over neurons with a non-zero mean of var(ddof=1)/mean of the counts in consecutive bins"},
})
with tempfile.TemporaryDirectory() as tmp:
    for network in a.networks.split(","):
        spec, sizes, duration_ms = SHORT[network]
        per_seed = []
        for s in [int(x) for x in a.seeds.split(",")]:
            cmd = ["/usr/bin/python3", script, "--network", network, "--seed", str(s), "--duration", str(duration_ms),
                   "--warmup", str(WARMUP_MS), "--bin", str(BIN_MS), "--mode", a.mode,
                   "--dir", os.path.join(tmp, network)]
            if sizes:
                cmd += ["--sizes", f"{sizes['E']},{sizes['I']}"]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            run = json.loads(out)
            per_seed.append({"seed": s, "populations": run["populations"]})
            print(network, s, json.dumps({p: {k: round(v[k], 4) for k in KEYS} for p, v in run["populations"].items()}),
                  file=sys.stderr)
        pops = per_seed[0]["populations"].keys()
        mean = {p: {k: sum(r["populations"][p][k] for r in per_seed) / len(per_seed) for k in KEYS} for p in pops}
        doc["networks"][network] = {"spec": spec, "sizes": sizes, "duration_ms": duration_ms, "warmup_ms": WARMUP_MS,
                                    "bin_ms": BIN_MS, "mean": mean, "seeds": per_seed}
        with open(a.out, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
print(json.dumps({n: e["mean"] for n, e in doc["networks"].items()}))
