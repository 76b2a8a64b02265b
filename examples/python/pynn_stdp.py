#!/usr/bin/env python3
"""Additive pair-based STDP as a PyNN script, unchanged on pyNN.neuromesh and pyNN.neuron (not pyNN.brian2: below).

    python3 examples/python/pynn_stdp.py --simulator neuron

--size IF_curr_exp cells (default 20) each receive 100 of 200 Poisson inputs at 10 Hz (FixedNumberPreConnector, so the
cells differ) through an STDPMechanism (SpikePairRule: tau_+ = tau_- = 20 ms, A_+ = 0.01, A_- = 0.0105;
AdditiveWeightDependence in [0, 0.3] nA; initial weight 0.15 nA, so the mean input holds v near threshold; delay 1
ms), after Song, Miller & Abbott (2000): depression slightly outweighs potentiation, so the weights drift and the
output rate changes over the run. The plastic weights are not read back (pyNN.neuromesh cannot: see docs/python.md),
so the comparison is the output's rate, ISI CV and fraction firing in the first and the last second of the run, which
the weights' evolution sets. pyNN.brian2 (PyNN 0.10.1) refuses this script: its STDPMechanism accepts only
dendritic_delay_fraction = 0 (axonal delays), while pyNN.neuromesh accepts only PyNN's default 1, which is what the
engine does (its presynaptic trace is updated when the spike is emitted). No value runs on both, so the STDP
comparison is against NEURON only.
"""
import sys

from pyNN.random import NumpyRNG

import pynn_common


def main():
    args = pynn_common.parser(__doc__.splitlines()[0], size=20, duration=5000.0).parse_args()
    timer = pynn_common.Timer()
    sim = pynn_common.setup(args)

    inputs = sim.Population(200, sim.SpikeSourcePoisson(rate=10.0), label="inputs")
    post = sim.Population(args.size, sim.IF_curr_exp(cm=1.0, tau_m=20.0, v_rest=-65.0, v_thresh=-50.0,
                                                    v_reset=-65.0, tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=5.0),
                          label="post")
    post.initialize(v=-65.0)
    post.record("spikes")
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.3),
        weight=0.15, delay=1.0)
    sim.Projection(inputs, post, sim.FixedNumberPreConnector(100, rng=NumpyRNG(seed=args.seed)), stdp,
                   receptor_type="excitatory")
    timer.build_done()
    sim.run(args.duration)
    timer.run_done()
    last = max(0.0, args.duration - 1000.0)
    pynn_common.report(sim, args, "stdp", timer,
                       [("post first 1 s", post, 0.0, min(1000.0, args.duration)),
                        ("post last 1 s", post, last, args.duration)])
    sim.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
