#!/usr/bin/env python3
"""Brunel (2000) model A in its four regimes as a PyNN script, unchanged on pyNN.neuromesh, pyNN.brian2 and
pyNN.neuron.

    python3 examples/python/pynn_brunel.py --simulator brian2 --regime SI-fast

Brunel's delta synapses as IF_curr_exp cells with tau_syn = 0.1 ms, one time step: each input's charge J cm arrives
within a fraction of a millisecond (pyNN.neuron has no IF_curr_delta, so the script cannot use it and stay
unchanged). Cells: tau_m 20 ms, theta 20 mV, V_r 10 mV, 2 ms refractory, initial v uniform in [0, 20] mV; 80%
excitatory and 20% inhibitory, each receiving C_E = 0.1 N_E excitatory and C_I = 0.1 N_I inhibitory inputs
(FixedNumberPreConnector), delay 1.5 ms, inhibitory weight -g J. The regimes take g and eta = nu_ext / nu_thr from
examples/brunel_*.json and Brunel's Fig. 8: SR (g 3, eta 2), AI (5, 2), SI-fast (6, 4), SI-slow (4.5, 0.9).

Scaled down from 12,500 cells with C_E = 1000 to --size cells (default 1250: C_E = 100, C_I = 25): J = 100 mV / C_E
keeps the mean recurrent drive J C_E = 100 mV, and so nu_thr = theta / (J C_E tau) = 10 Hz, of the full model; the
fluctuations are larger (J is 1 mV, not 0.1 mV), so the regimes are those of a smaller Brunel network, not a copy of
Fig. 8. The external drive is a pool of N_E Poisson sources at nu_ext; each cell receives C_E of them at weight J
(a per-cell source at C_E nu_ext would fire more than once per time step, which some backends cap). Statistics are
taken after a 100 ms transient.
"""
import sys

from pyNN.random import NumpyRNG, RandomDistribution

import pynn_common

REGIMES = {"SR": (3.0, 2.0), "AI": (5.0, 2.0), "SI-fast": (6.0, 4.0), "SI-slow": (4.5, 0.9)}
TRANSIENT = 100.0


def main():
    p = pynn_common.parser(__doc__.splitlines()[0], size=1250, duration=600.0)
    p.add_argument("--regime", default="AI", choices=sorted(REGIMES))
    args = p.parse_args()
    timer = pynn_common.Timer()
    sim = pynn_common.setup(args)

    g, eta = REGIMES[args.regime]
    n_exc = int(args.size * 0.8)
    n_inh = args.size - n_exc
    c_exc, c_inh = max(1, n_exc // 10), max(1, n_inh // 10)
    j = 100.0 / c_exc                                  # mV, J C_E = 100 mV as in the full model
    nu_thr = 20.0 / (j * c_exc * 20.0) * 1000.0        # Hz: theta / (J C_E tau_m)
    tau_syn = 0.1
    cell = dict(cm=1.0, tau_m=20.0, v_rest=0.0, v_thresh=20.0, v_reset=10.0, tau_refrac=2.0, i_offset=0.0,
                tau_syn_E=tau_syn, tau_syn_I=tau_syn)
    w = j * cell["cm"] / tau_syn                       # nA: a current of charge J cm, so v rises by J
    rng = NumpyRNG(seed=args.seed)
    exc = sim.Population(n_exc, sim.IF_curr_exp(**cell), label="E")
    inh = sim.Population(n_inh, sim.IF_curr_exp(**cell), label="I")
    external = sim.Population(n_exc, sim.SpikeSourcePoisson(rate=eta * nu_thr), label="ext")
    for population in (exc, inh):
        population.initialize(v=RandomDistribution("uniform", (0.0, 20.0), rng=rng))
        population.record("spikes")
    for target in (exc, inh):
        for source, count, weight, receptor in ((exc, c_exc, w, "excitatory"), (inh, c_inh, -g * w, "inhibitory"),
                                                (external, c_exc, w, "excitatory")):
            sim.Projection(source, target, sim.FixedNumberPreConnector(count, rng=rng),
                           sim.StaticSynapse(weight=weight, delay=1.5), receptor_type=receptor)
    timer.build_done()
    sim.run(args.duration)
    timer.run_done()
    pynn_common.report(sim, args, f"brunel-{args.regime}", timer,
                       [("E", exc, TRANSIENT, args.duration), ("I", inh, TRANSIENT, args.duration)])
    sim.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
