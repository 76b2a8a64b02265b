#!/usr/bin/env python3
"""The Vogels & Abbott (2005) COBA network as a PyNN script, unchanged on pyNN.neuromesh, pyNN.brian2 and pyNN.neuron.

    python3 examples/python/pynn_coba.py --simulator neuron --seed 3

80% excitatory, 20% inhibitory IF_cond_exp cells with the parameters of examples/coba.json and Brian2's COBA example
(C = 200 pF, g_L = 10 nS so tau_m = 20 ms, E_L = V_reset = -60 mV, V_th = -50 mV, 5 ms refractory; E_exc = 0 mV,
E_inh = -80 mV, tau_exc = 5 ms, tau_inh = 10 ms; w_exc = 6 nS, w_inh = 67 nS), connected with probability 80 / size
(80 inputs per cell on average, as COBA's 4000 cells at p = 0.02); initial v uniform in [-60, -50] mV. The activity
is self-sustained: a 50 ms kick from a pool of Poisson sources (100 Hz; each cell gets 20 of them, at w_exc) starts
it, as in examples/coba.json. A pool rather than a per-cell source at 2 kHz: a Poisson source fires at most once per
time step on some backends, and at 100 Hz that cap is negligible (p = 0.01 per step).
"""
import sys

from pyNN.random import NumpyRNG, RandomDistribution

import pynn_common


def main():
    args = pynn_common.parser(__doc__.splitlines()[0], size=1000, duration=1000.0).parse_args()
    timer = pynn_common.Timer()
    sim = pynn_common.setup(args)

    n_exc = int(args.size * 0.8)
    n_inh = args.size - n_exc
    p = min(1.0, 80.0 / args.size)
    cell = dict(cm=0.2, tau_m=20.0, v_rest=-60.0, v_thresh=-50.0, v_reset=-60.0, tau_refrac=5.0,
                tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0, i_offset=0.0)
    w_exc, w_inh = 0.006, 0.067   # µS
    rng = NumpyRNG(seed=args.seed)
    exc = sim.Population(n_exc, sim.IF_cond_exp(**cell), label="E")
    inh = sim.Population(n_inh, sim.IF_cond_exp(**cell), label="I")
    kick = sim.Population(200, sim.SpikeSourcePoisson(rate=100.0, start=0.0, duration=50.0), label="kick")
    for population in (exc, inh):
        population.initialize(v=RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
        population.record("spikes")
    connector = sim.FixedProbabilityConnector(p, rng=rng)
    for source, weight, receptor in ((exc, w_exc, "excitatory"), (inh, w_inh, "inhibitory")):
        for target in (exc, inh):
            sim.Projection(source, target, connector, sim.StaticSynapse(weight=weight, delay=0.1),
                           receptor_type=receptor)
    for target in (exc, inh):
        sim.Projection(kick, target, sim.FixedNumberPreConnector(20, rng=rng),
                       sim.StaticSynapse(weight=w_exc, delay=0.1), receptor_type="excitatory")
    timer.build_done()
    sim.run(args.duration)
    timer.run_done()
    pynn_common.report(sim, args, "coba", timer, [("E", exc, 0.0, args.duration), ("I", inh, 0.0, args.duration)])
    sim.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
