"""``pyNN.neuromesh``: PyNN 0.10 on NeuroMesh.

The model is built in Python with PyNN's own connectors and random number generators, turned into a NetworkSpec at
the first ``run`` and deployed on a node's HTTP gateway; ``run`` steps it and records spikes from the run's tap.

    import pyNN.neuromesh as sim
    sim.setup(timestep=0.1)                    # starts an embedded node (neuromesh.local()); or url="http://..."
    ...
    sim.run(1000.0)
    sim.end()                                  # stops the embedded node

Extra ``setup`` options: ``url`` (a node's gateway; default: start one), ``api_key``, ``silos`` (how many silos:
an embedded node starts that many, a remote deploy asks for that many; 0 = every active silo), ``run_id`` (the run's
id on the node, for replay later; segments after ``reset()`` get ``run_id.1``, ``run_id.2``...), ``rng_seed`` (the
seed of what the engine draws: Poisson inputs and initial-value distributions), ``max_duration`` (ms, the deployed
network's duration; default 60000), ``silo`` (the ``NeuroMesh.Silo.dll`` for the embedded node).

Anything the engine cannot do raises ``NotImplementedError`` naming it (see docs/python.md).
"""
import logging

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import (AllToAllConnector, ArrayConnector, FixedNumberPostConnector,  # noqa: F401
                             FixedNumberPreConnector, FixedProbabilityConnector, FromListConnector,
                             OneToOneConnector)
from pyNN.recording import *  # noqa: F401,F403
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.space import Space  # noqa: F401
from neo.io import get_io

from . import simulator
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels import (AdditiveWeightDependence, DCSource, IF_cond_exp, IF_curr_delta,  # noqa: F401
                             IF_curr_exp, MultiplicativeWeightDependence, SpikePairRule, SpikeSourceArray,
                             SpikeSourcePoisson, StaticSynapse, STDPMechanism)

logger = logging.getLogger("PyNN")

#: The connectors this backend offers (PyNN's own; they draw connections with PyNN's random number generators).
CONNECTORS = ["AllToAllConnector", "OneToOneConnector", "FixedProbabilityConnector", "FixedNumberPreConnector",
              "FixedNumberPostConnector", "FromListConnector", "ArrayConnector"]


def list_standard_models():
    """The StandardCellType classes available on this backend."""
    return ["IF_curr_exp", "IF_cond_exp", "IF_curr_delta", "SpikeSourcePoisson", "SpikeSourceArray"]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Sets up the backend; connects to ``url`` or starts an embedded node. Returns the MPI rank (always 0)."""
    import neuromesh
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    unknown = set(extra_params) - {"max_delay", "url", "api_key", "silos", "run_id", "rng_seed", "max_duration",
                                   "silo", "node"}
    if unknown:
        raise ValueError(f"unknown setup options for pyNN.neuromesh: {sorted(unknown)}")
    if state.node is not None or state.client is not None:
        state.end()
    state.clear()
    state.dt = float(timestep)
    state.min_delay = min_delay
    state.max_delay = max_delay
    state.silos = int(extra_params.get("silos", 0) or 0)
    if state.silos < 0:
        raise ValueError(f"silos must be 0 (every active silo) or more (got {state.silos})")
    state.run_id = extra_params.get("run_id") or f"pynn-{__import__('uuid').uuid4().hex[:12]}"
    state.seed = int(extra_params.get("rng_seed", 1))
    state.max_duration = float(extra_params.get("max_duration", 60_000.0))
    if extra_params.get("node") is not None:
        state.client = extra_params["node"].client
    elif extra_params.get("url"):
        state.client = neuromesh.Client(extra_params["url"], api_key=extra_params.get("api_key"))
    else:
        state.node = neuromesh.local(silos=max(1, state.silos), silo=extra_params.get("silo"))
        state.client = state.node.client
    return rank()


def end(compatible_output=True):
    """Writes what ``record(..., filename)`` asked for and stops the embedded node, if one was started."""
    for (population, variables, filename) in simulator.state.write_on_end:
        io = get_io(filename)
        population.write_data(io, variables)
    simulator.state.write_on_end = []
    simulator.state.end()


run, run_until = common.build_run(simulator)
run_for = run

reset = common.build_reset(simulator)

initialize = common.initialize

get_current_time, get_time_step, get_min_delay, get_max_delay, \
    num_processes, rank = common.build_state_queries(simulator)

create = common.build_create(Population)

connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)

record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def record_gsyn(source, filename):
    return record(["gsyn_exc", "gsyn_inh"], source, filename)


def run_id():
    """The id of the current segment's run on the node (None before the first run)."""
    return simulator.state.handle.id if simulator.state.handle is not None else None


def client():
    """The ``neuromesh.Client`` in use (after ``setup``)."""
    return simulator.state.client
