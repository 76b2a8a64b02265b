"""The backend's global state: the PyNN model being built, the run on the node, and the spikes it fired."""
from __future__ import annotations

import itertools
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from pyNN import common

name = "NeuroMesh"


class ID(int, common.IDMixin):
    """A cell id: an integer, unique over the model (not the engine's neuron index)."""

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """What ``setup`` configured, the populations and projections created since, and the run on the node."""

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = "auto"
        self.max_delay = 10.0
        self.node = None          # a neuromesh.LocalNode we started (stopped by end())
        self.client = None        # the neuromesh.Client in use
        self.silos = 0
        self.run_id: Optional[str] = None
        self.seed = 1
        self.max_duration = 60_000.0
        self.populations: List[Any] = []
        self.projections: List[Any] = []
        self.current_sources: List[Tuple[Any, float]] = []
        self.clear()

    @property
    def min_delay_ms(self) -> float:
        return self.dt if self.min_delay == "auto" else float(self.min_delay)

    def clear(self):
        self.recorders = set()
        self.id_counter = 0
        self.segment_counter = -1
        self.populations = []
        self.projections = []
        self.current_sources = []
        self._close_run()
        self.reset()

    def _close_run(self):
        stream = getattr(self, "stream", None)
        if stream is not None:
            stream.close()
        self.stream = None
        self.handle = None
        self.deployed = False
        self.tick = 0
        self.spike_neurons: List[np.ndarray] = []
        self.spike_ticks: List[np.ndarray] = []
        self.layout = None

    def reset(self):
        """Back to t = 0: the next run deploys the network again, as a new run id (a new segment)."""
        self._close_run()
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1

    # -- running ----------------------------------------------------------------------------------------------------

    def current_run_id(self) -> str:
        base = self.run_id or "pynn"
        return base if self.segment_counter == 0 else f"{base}.{self.segment_counter}"

    def _deploy(self):
        from . import spec as specs
        if self.client is None:
            raise RuntimeError("pyNN.neuromesh: call setup() first")
        document, layout = specs.build(self)
        run_id = self.current_run_id()
        self.handle = self.client.deploy(run_id, document, silos=self.silos)
        self.layout = layout
        self.stream = self.handle.spikes(timeout=600.0)
        if self.stream.max_rate < 1_000_000:
            self.stream.close()
            raise RuntimeError(
                f"the node's spike tap sends at most {self.stream.max_rate} spikes/s and would sample recorded spikes "
                "away; start the node with NeuroMesh:Gateway:MaxSpikesPerSecond=2000000000 (neuromesh.local() does)")
        self.deployed = True

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        ticks_end = int(round(tstop / self.dt))
        if abs(ticks_end * self.dt - tstop) > 1e-9 * max(1.0, abs(tstop)):
            raise ValueError(f"run time {tstop} ms is not a multiple of the time step {self.dt} ms")
        if tstop > self.max_duration + 1e-9:
            raise NotImplementedError(
                f"running past max_duration ({self.max_duration} ms): the network is deployed with a fixed duration; "
                "pass a larger setup(max_duration=...)")
        if not self.deployed:
            self._deploy()
        ticks = ticks_end - self.tick
        if ticks > 0:
            status = self.handle.step(ticks)
            if int(status["tick"]) != ticks_end:
                raise RuntimeError(f"the run reached tick {status['tick']}, expected {ticks_end}")
            batch = self.stream.collect(until_tick=ticks_end, timeout=600.0)
            if not batch.complete:
                raise RuntimeError(
                    f"the spike tap lost spikes (sampled away {batch.sampled_away}, dropped {batch.dropped_spikes}, "
                    f"missed ticks {batch.missed_ticks}); recorded spikes would be incomplete")
            self.spike_neurons.append(batch.neurons)
            self.spike_ticks.append(batch.ticks)
            self.tick = ticks_end
        self.t = tstop
        self.running = True

    def spikes(self) -> Tuple[np.ndarray, np.ndarray]:
        """Every spike of the current segment: (engine neuron indices, ticks)."""
        if not self.spike_neurons:
            return np.zeros(0, np.int32), np.zeros(0, np.int64)
        neurons = np.concatenate(self.spike_neurons)
        ticks = np.concatenate(self.spike_ticks)
        self.spike_neurons, self.spike_ticks = [neurons], [ticks]
        return neurons, ticks

    def end(self):
        self._close_run()
        if self.node is not None:
            self.node.stop()
            self.node = None
        self.client = None


state = State()
_ids = itertools.count()
