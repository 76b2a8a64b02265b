#!/usr/bin/python3
"""Regenerates cuba_stats.json: Brian2's CUBA statistics for seeds 1-5 (1 s, 4000 neurons).

Runs ../shared/reference/brian2_cuba.py (relative to the repository root) once per seed with
--spikes-csv, then computes per seed: mean firing rate (Hz), mean coefficient of variation of the
inter-spike intervals (over neurons with at least 3 spikes) and the fraction of neurons that fire.
Usage (from the repository root): /usr/bin/python3 Tests/Fixtures/brian2/regenerate.py [--mode standalone]
"""
import argparse, json, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", "..", ".."))
script = os.path.abspath(os.path.join(repo, "..", "shared", "reference", "brian2_cuba.py"))

ap = argparse.ArgumentParser()
ap.add_argument("--mode", default="standalone", choices=["standalone", "numpy", "cython"])
ap.add_argument("--seeds", default="1,2,3,4,5")
ap.add_argument("--out", default=os.path.join(here, "cuba_stats.json"))
a = ap.parse_args()
if not os.path.exists(script):
    sys.exit(f"regenerate.py: reference script not found at {script}")

N, DURATION = 4000, 1.0


def stats(csv_path):
    trains = {}
    with open(csv_path) as f:
        next(f)
        for line in f:
            i, t = line.split(",")
            trains.setdefault(int(i), []).append(float(t))
    total = sum(len(v) for v in trains.values())
    cvs = []
    for times in trains.values():
        if len(times) >= 3:
            times.sort()
            isi = [b - c for b, c in zip(times[1:], times[:-1])]
            m = sum(isi) / len(isi)
            var = sum((x - m) ** 2 for x in isi) / len(isi)
            cvs.append(var ** 0.5 / m)
    return {"rate_hz": total / N / DURATION, "cv_isi": sum(cvs) / len(cvs) if cvs else 0.0,
            "fraction_firing": len(trains) / N, "spikes": total}


per_seed = []
with tempfile.TemporaryDirectory() as tmp:
    for s in [int(x) for x in a.seeds.split(",")]:
        csv = os.path.join(tmp, f"spikes_{s}.csv")
        cmd = ["/usr/bin/python3", script, "--mode", a.mode, "--seed", str(s), "--duration", str(DURATION),
               "--neurons", str(N), "--spikes-csv", csv, "--dir", os.path.join(tmp, f"standalone_{s}")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        st = stats(csv)
        st["seed"] = s
        per_seed.append(st)
        print(json.dumps(st), file=sys.stderr)

mean = {k: sum(p[k] for p in per_seed) / len(per_seed) for k in ("rate_hz", "cv_isi", "fraction_firing")}
doc = {"network": "cuba", "neurons": N, "duration_s": DURATION, "brian2_mode": a.mode,
       "cv_definition": "mean over neurons with >= 3 spikes of std(ISI)/mean(ISI)",
       "mean": mean, "seeds": per_seed}
with open(a.out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print(json.dumps(mean))
