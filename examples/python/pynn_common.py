"""What the PyNN example scripts share: the command line, picking the backend, statistics and the JSON summary.

Each script (pynn_cuba.py, pynn_coba.py, pynn_brunel.py, pynn_stdp.py) builds its network with nothing but the PyNN
API on the module ``pyNN.<--simulator>``: the same code runs on pyNN.neuromesh, pyNN.brian2 and pyNN.neuron. Only
``setup`` gets backend-specific extras (the seed and size of the embedded NeuroMesh node), as PyNN intends.
"""
import argparse
import json
import time

import numpy as np

SIMULATORS = ["neuromesh", "brian2", "neuron", "nest"]


def parser(description, size, duration):
    """The options every script takes; ``size`` and ``duration`` are the script's defaults."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--simulator", default="neuromesh", choices=SIMULATORS)
    p.add_argument("--size", type=int, default=size, help="cells (80%% E, 20%% I where the model has both)")
    p.add_argument("--duration", type=float, default=duration, help="ms")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--silos", type=int, default=1, help="neuromesh: silos of the embedded node")
    p.add_argument("--url", default=None, help="neuromesh: an existing node's gateway instead of an embedded one")
    p.add_argument("--run-id", default=None, help="neuromesh: the run id")
    p.add_argument("--json", default=None, help="write the statistics here")
    return p


def setup(args, timestep=0.1, min_delay=0.1, max_delay=10.0):
    """Imports ``pyNN.<simulator>``, calls its setup and returns the module (the one line that differs)."""
    sim = __import__(f"pyNN.{args.simulator}", fromlist=["setup"])
    extra = {}
    if args.simulator == "neuromesh":
        extra = {"silos": args.silos, "rng_seed": args.seed, "max_duration": args.duration}
        if args.url:
            extra["url"] = args.url
        if args.run_id:
            extra["run_id"] = args.run_id
    elif args.simulator == "nest":
        extra = {"rng_seed": args.seed}
    sim.setup(timestep=timestep, min_delay=min_delay, max_delay=max_delay, **extra)
    return sim


def statistics(spiketrains, t_start, t_stop):
    """Rate (Hz), mean ISI CV (cells with at least 3 spikes) and fraction of cells that fired in [t_start, t_stop)."""
    trains = [np.sort(t.magnitude) for t in spiketrains]
    trains = [t[(t >= t_start) & (t < t_stop)] for t in trains]
    counts = np.array([len(t) for t in trains])
    cvs = []
    for train in trains:
        if len(train) >= 3:
            isi = np.diff(train)
            cvs.append(isi.std() / isi.mean())
    return {
        "rate": float(counts.mean() / ((t_stop - t_start) / 1000.0)) if len(counts) else float("nan"),
        "cv": float(np.mean(cvs)) if cvs else float("nan"),
        "fraction": float(np.mean(counts > 0)) if len(counts) else float("nan"),
        "spikes": int(counts.sum()),
    }


class Timer:
    """Wall time from setup to the end of the model's construction (build) and of sim.run (run)."""

    def __init__(self):
        self.started = time.perf_counter()
        self.built = self.ran = None

    def build_done(self):
        self.built = time.perf_counter()

    def run_done(self):
        self.ran = time.perf_counter()


def report(sim, args, model, timer, windows):
    """Prints and (with --json) writes the statistics. ``windows``: (label, population, t_start, t_stop) each."""
    result = {"model": model, "simulator": args.simulator, "size": args.size, "duration": args.duration,
              "seed": args.seed, "build_s": timer.built - timer.started, "run_s": timer.ran - timer.built,
              "populations": []}
    data = {}
    for label, population, t_start, t_stop in windows:
        if population.label not in data:
            data[population.label] = population.get_data().segments[0].spiketrains
        stats = statistics(data[population.label], t_start, t_stop)
        result[label] = stats
        result["populations"].append(label)
        print(f"{label}: {stats['rate']:.2f} Hz, CV {stats['cv']:.2f}, {100 * stats['fraction']:.1f}% firing "
              f"({stats['spikes']} spikes)")
    if args.simulator == "neuromesh":
        result["run_id"] = sim.run_id()
    print(f"build {result['build_s']:.2f} s, run {result['run_s']:.2f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return result
