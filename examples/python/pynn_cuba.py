#!/usr/bin/env python3
"""The Vogels & Abbott (2005) CUBA network as a PyNN script, unchanged on pyNN.neuromesh, pyNN.brian2 and
pyNN.neuron.

    python3 examples/python/pynn_cuba.py --simulator neuromesh --silos 2 --plot cuba.png
    python3 examples/python/pynn_cuba.py --simulator brian2

80% excitatory, 20% inhibitory IF_curr_exp cells with the parameters of examples/cuba.json (v_rest above threshold,
so the network sustains itself), connected with probability 80 / size (80 inputs per cell on average, as CUBA's 4000
cells at p = 0.02), initial v uniform in [-60, -50] mV. Prints each population's firing rate, mean ISI CV and fraction
of firing cells; --json writes them, --plot draws the raster and the rates with matplotlib (Agg, a PNG).
On neuromesh it also prints the run id and, with --replay, rebuilds the run from its log and checks its spike-train
hash.
"""
import argparse
import json
import sys
import time

import numpy as np
from pyNN.random import NumpyRNG, RandomDistribution


def statistics(spiketrains, duration_ms):
    """Rate (Hz), mean ISI CV (cells with at least 3 spikes) and fraction of cells that fired."""
    counts = np.array([len(t) for t in spiketrains])
    cvs = []
    for train in spiketrains:
        if len(train) >= 3:
            isi = np.diff(np.sort(train.magnitude))
            cvs.append(isi.std() / isi.mean())
    return {
        "rate": float(counts.mean() / (duration_ms / 1000.0)),
        "cv": float(np.mean(cvs)) if cvs else float("nan"),
        "fraction": float(np.mean(counts > 0)),
        "spikes": int(counts.sum()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulator", default="neuromesh", choices=["neuromesh", "brian2", "neuron", "nest"])
    parser.add_argument("--size", type=int, default=1000, help="cells (80%% E, 20%% I)")
    parser.add_argument("--duration", type=float, default=500.0, help="ms")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--silos", type=int, default=1, help="neuromesh: silos of the embedded node")
    parser.add_argument("--url", default=None, help="neuromesh: an existing node's gateway instead of an embedded one")
    parser.add_argument("--run-id", default=None, help="neuromesh: the run id")
    parser.add_argument("--replay", action="store_true", help="neuromesh: replay the run by id and check its hash")
    parser.add_argument("--json", default=None, help="write the statistics here")
    parser.add_argument("--plot", default=None, help="draw the raster and rates to this PNG")
    parser.add_argument("--brian2-device", default=None, choices=["cpp_standalone"],
                        help="brian2: run on this Brian2 device instead of the runtime target (code generation)")
    args = parser.parse_args()

    if args.brian2_device:
        import tempfile

        import brian2
        brian2.set_device(args.brian2_device, directory=tempfile.mkdtemp(prefix="pynn-cuba-standalone-"))
    sim = __import__(f"pyNN.{args.simulator}", fromlist=["setup"])
    started = time.perf_counter()
    extra = {}
    if args.simulator == "neuromesh":
        extra = {"silos": args.silos, "rng_seed": args.seed, "max_duration": args.duration}
        if args.url:
            extra["url"] = args.url
        if args.run_id:
            extra["run_id"] = args.run_id
    sim.setup(timestep=0.1, min_delay=0.1, **extra)

    n_exc = int(args.size * 0.8)
    n_inh = args.size - n_exc
    p = min(1.0, 80.0 / args.size)
    cell = dict(cm=1.0, tau_m=20.0, v_rest=-49.0, v_thresh=-50.0, v_reset=-60.0, tau_refrac=5.0,
                tau_syn_E=5.0, tau_syn_I=10.0, i_offset=0.0)
    # examples/cuba.json's 1.62 mV and -9 mV as currents: R = tau_m / cm = 20 MΩ.
    w_exc, w_inh = 1.62 / 20.0, -9.0 / 20.0
    rng = NumpyRNG(seed=args.seed)
    exc = sim.Population(n_exc, sim.IF_curr_exp(**cell), label="E")
    inh = sim.Population(n_inh, sim.IF_curr_exp(**cell), label="I")
    for population in (exc, inh):
        population.initialize(v=RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
        population.record("spikes")
    connector = sim.FixedProbabilityConnector(p, rng=rng)
    for source, weight, receptor in ((exc, w_exc, "excitatory"), (inh, w_inh, "inhibitory")):
        for target in (exc, inh):
            sim.Projection(source, target, connector, sim.StaticSynapse(weight=weight, delay=0.1),
                           receptor_type=receptor)
    built = time.perf_counter()
    sim.run(args.duration)
    ran = time.perf_counter()

    result = {"model": "cuba", "populations": ["E", "I"], "simulator": args.simulator, "size": args.size,
              "duration": args.duration, "seed": args.seed,
              "build_s": built - started, "run_s": ran - built}
    blocks = {}
    for population in (exc, inh):
        blocks[population.label] = population.get_data().segments[0]
        result[population.label] = statistics(blocks[population.label].spiketrains, args.duration)
        stats = result[population.label]
        print(f"{population.label}: {stats['rate']:.2f} Hz, CV {stats['cv']:.2f}, "
              f"{100 * stats['fraction']:.1f}% firing ({stats['spikes']} spikes)")
    if args.simulator == "neuromesh":
        run_id = sim.run_id()
        result["run_id"] = run_id
        status = sim.client().run(run_id).status()
        result["silos"] = status["silos"]
        result["spike_train_hash"] = status["spikeTrainHash"]
        print(f"run {run_id} on {status['silos']} silo(s), spike-train hash {status['spikeTrainHash']}")
        if args.replay:
            replay = sim.client().run(run_id).replay()
            result["replay_hash"] = replay["spikeTrainHash"]
            same = replay["spikeTrainHash"] == status["spikeTrainHash"]
            print(f"replayed {run_id} to tick {replay['tick']}: {'same' if same else 'DIFFERENT'} spike-train hash")
    print(f"build {result['build_s']:.2f} s, run {result['run_s']:.2f} s")

    if args.plot:
        plot(blocks, result, args.plot)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    sim.end()
    return 0


def plot(blocks, result, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (raster, rates) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    offset = 0
    bins = np.arange(0.0, result["duration"] + 5.0, 5.0)
    for label, colour in (("E", "tab:blue"), ("I", "tab:red")):
        trains = blocks[label].spiketrains
        for i, train in enumerate(trains):
            raster.plot(train.magnitude, np.full(len(train), offset + i), ".", color=colour, markersize=1)
        all_times = np.concatenate([t.magnitude for t in trains]) if trains else np.zeros(0)
        counts, _ = np.histogram(all_times, bins=bins)
        label_text = f"{label} ({result[label]['rate']:.1f} Hz)"
        rates.plot(bins[:-1], counts / len(trains) / 0.005, color=colour, label=label_text)
        offset += len(trains)
    raster.set_ylabel("cell")
    run = f", run {result['run_id']}" if "run_id" in result else ""
    raster.set_title(f"CUBA on pyNN.{result['simulator']}{run}")
    rates.set_xlabel("time (ms)")
    rates.set_ylabel("rate (Hz)")
    rates.legend(loc="upper right")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
