"""Projections: PyNN's own connectors draw the connections (with PyNN's random number generators); they are kept as
arrays and sent to the engine as explicit pairs, one NetworkSpec projection per distinct (weight, delay)."""

import numpy as np
from pyNN import common
from pyNN.space import Space

from . import simulator
from .populations import Assembly, Population, PopulationView
from .standardmodels import AdditiveWeightDependence, SpikePairRule, STDPMechanism, StaticSynapse


class Connection(common.Connection):
    """One connection, as ``Projection.connections`` lists them (weights and delays in PyNN units)."""

    def __init__(self, pre, post, **attributes):
        self.presynaptic_index = pre
        self.postsynaptic_index = post
        for name, value in attributes.items():
            setattr(self, name, value)

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


def _parent(cells):
    """The population a Population or PopulationView belongs to, and a map from its indices to the parent's."""
    if isinstance(cells, Population):
        return cells, None
    if isinstance(cells, PopulationView):
        return cells.grandparent, cells.index_in_grandparent
    raise NotImplementedError(f"projections from or to {type(cells).__name__} (Assembly): connect each population")


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None, source=None,
                 receptor_type=None, space=Space(), label=None):
        if simulator.state.deployed:
            raise NotImplementedError("creating a projection after the network was deployed (the first run); "
                                      "call reset() first")
        if isinstance(presynaptic_population, Assembly) or isinstance(postsynaptic_population, Assembly):
            raise NotImplementedError("projections from or to an Assembly: connect each population")
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type,
                                   source, receptor_type, space, label)
        self._check_synapse_type()
        if self.receptor_type not in ("excitatory", "inhibitory"):
            raise NotImplementedError(f"receptor type '{self.receptor_type}': the engine's cells have 'excitatory' "
                                      "and 'inhibitory' inputs")
        self._pre, self._pre_map = _parent(self.pre)
        self._post, self._post_map = _parent(self.post)
        self._chunks = []
        connector.connect(self)
        pre = [c[0] for c in self._chunks]
        self.pre_indices = np.concatenate(pre) if pre else np.zeros(0, np.int64)
        self.post_indices = np.concatenate([c[1] for c in self._chunks]) if pre else np.zeros(0, np.int64)
        self.weights = np.concatenate([c[2] for c in self._chunks]) if pre else np.zeros(0)
        self.delays = np.concatenate([c[3] for c in self._chunks]) if pre else np.zeros(0)
        del self._chunks
        simulator.state.projections.append(self)

    def _check_synapse_type(self):
        synapse = self.synapse_type
        if isinstance(synapse, StaticSynapse):
            return
        if not isinstance(synapse, STDPMechanism):
            raise NotImplementedError(f"synapse type {type(synapse).__name__}: pyNN.neuromesh supports StaticSynapse "
                                      "and STDPMechanism(SpikePairRule, AdditiveWeightDependence)")
        if synapse.voltage_dependence is not None:
            raise NotImplementedError("STDPMechanism with a voltage dependence")
        if not isinstance(synapse.timing_dependence, SpikePairRule):
            raise NotImplementedError(f"STDP timing dependence {type(synapse.timing_dependence).__name__}: only "
                                      "SpikePairRule")
        if not isinstance(synapse.weight_dependence, AdditiveWeightDependence):
            raise NotImplementedError(f"STDP weight dependence {type(synapse.weight_dependence).__name__}: the "
                                      "engine's STDP is additive (AdditiveWeightDependence) only")

    def __len__(self):
        return len(self.pre_indices)

    @property
    def connections(self):
        return [Connection(int(i), int(j), weight=float(w), delay=float(d))
                for i, j, w, d in zip(self.pre_indices, self.post_indices, self.weights, self.delays)]

    def set(self, **attributes):
        raise NotImplementedError("Projection.set: the engine cannot change synapses of a deployed network; "
                                  "give weights and delays to the synapse type")

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        if self._simulator.state.deployed and isinstance(self.synapse_type, STDPMechanism) and "weight" in names:
            raise NotImplementedError("reading plastic weights after a run: the gateway serves a weight histogram "
                                      "(/api/runs/{id}/weights), not per-synapse weights")
        return common.Projection._get_attributes_as_arrays(self, names, multiple_synapses)

    def _get_attributes_as_list(self, names):
        if self._simulator.state.deployed and isinstance(self.synapse_type, STDPMechanism) and "weight" in names:
            raise NotImplementedError("reading plastic weights after a run: the gateway serves a weight histogram "
                                      "(/api/runs/{id}/weights), not per-synapse weights")
        columns = {"presynaptic_index": self.pre_indices, "postsynaptic_index": self.post_indices,
                   "weight": self.weights, "delay": self.delays}
        for name in names:
            if name not in columns:
                raise NotImplementedError(f"reading '{name}' of connections: only weight and delay are stored")
        return list(zip(*[columns[n].tolist() for n in names]))

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index, **connection_parameters):
        pre = np.asarray(presynaptic_indices, dtype=np.int64).reshape(-1)
        n = len(pre)
        if n == 0:
            return
        values = {}
        for name in ("weight", "delay"):
            value = connection_parameters.get(name)
            if value is None:
                value = self.synapse_type._get_minimum_delay() if name == "delay" else 0.0
            values[name] = np.broadcast_to(np.asarray(value, dtype=float).reshape(-1) if np.ndim(value) else
                                           np.asarray([value], dtype=float), (n,)).copy()
        self._chunks.append((pre, np.full(n, int(postsynaptic_index), np.int64), values["weight"], values["delay"]))
