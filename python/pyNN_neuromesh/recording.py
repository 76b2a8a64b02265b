"""Recording: spikes come from the run's spike tap; v and gsyn are refused (the gateway serves no state monitors)."""
import numpy as np
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if variable != "spikes":
            raise NotImplementedError(
                f"recording '{variable}': the engine samples state variables (NetworkSpec monitors of kind 'state') "
                "but the gateway has no endpoint that returns them; only spikes can be recorded")
        if simulator.state.deployed:
            raise NotImplementedError("starting to record after the network was deployed (the first run); "
                                      "record before running, or reset() first")

    def _get_spiketimes(self, requested_ids, clear=False):
        state = simulator.state
        population = self.population
        if state.layout is None:
            return np.zeros(0, dtype=int), np.zeros(0)
        first = state.layout.first_neuron(population)
        neurons, ticks = state.spikes()
        mask = (neurons >= first) & (neurons < first + population.size) & (ticks >= getattr(self, "_cleared", 0))
        ids = population.all_cells[neurons[mask] - first].astype(int)
        times = ticks[mask] * state.dt
        keep = np.in1d(ids, np.asarray(requested_ids, dtype=int))
        order = np.lexsort((times[keep], ids[keep]))
        return ids[keep][order], times[keep][order]

    def _get_all_signals(self, variable, ids, clear=False):
        raise NotImplementedError(f"recording '{variable}': only spikes can be recorded on pyNN.neuromesh")

    def _local_count(self, variable, filter_ids=None):
        if variable != "spikes":
            raise NotImplementedError(f"counting '{variable}': only spikes are recorded")
        ids, _ = self._get_spiketimes(sorted(self.filter_recorded("spikes", filter_ids)))
        counts = {int(i): 0 for i in self.filter_recorded("spikes", filter_ids)}
        unique, n = np.unique(ids, return_counts=True)
        for i, c in zip(unique, n):
            counts[int(i)] = int(c)
        return counts

    def _clear_simulator(self):
        # get_data(clear=True): later reads start at the current tick (other populations keep theirs).
        self._cleared = simulator.state.tick

    def _reset(self):
        self._cleared = 0
