"""Single cells of each model driven by one spike train, as one PyNN script for any backend (``single_cells.py SIM``).

Prints a JSON object: model → spike times (ms). Used by test_brian2.py to compare pyNN.neuromesh with pyNN.brian2.
The inputs avoid the last tick of a refractory period (see docs/python.md on IF_curr_delta).
"""
import json
import sys

import numpy as np

if sys.argv[1] == "neuromesh":
    try:
        import pyNN.neuromesh as sim
    except ImportError:
        import _neuromesh_pynn_hook  # noqa: F401
        import pyNN.neuromesh as sim
else:
    sim = __import__(f"pyNN.{sys.argv[1]}", fromlist=["setup"])

sim.setup(timestep=0.1)
source = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 4.0, 6.0, 8.0, 10.0, 30.0, 31.0, 32.0, 60.0, 61.5]))
cells = {}
common = dict(tau_m=10.0, cm=0.5, tau_refrac=2.0, i_offset=0.3)
for name, celltype, weight, extra in [
        ("cuba", sim.IF_curr_exp, 2.0, dict(tau_syn_E=3.0)),
        ("coba", sim.IF_cond_exp, 0.05, dict(tau_syn_E=3.0)),
        ("delta", sim.IF_curr_delta, 5.0, {})]:
    cell = sim.Population(1, celltype(**common, **extra), label=name)
    cell.initialize(v=-60.0)
    sim.Projection(source, cell, sim.AllToAllConnector(), sim.StaticSynapse(weight=weight, delay=0.5))
    cell.record("spikes")
    cells[name] = cell
sim.run(80.0)
print(json.dumps({name: np.round(cell.get_data().segments[0].spiketrains[0].magnitude, 6).tolist()
                  for name, cell in cells.items()}))
sim.end()
