"""The standard models ``pyNN.neuromesh`` supports, each mapped exactly onto a NetworkSpec model.

Native parameter names are PyNN's own (identity translations); the unit conversion to the engine (weights and
offset currents times R = tau_m / cm) happens in :mod:`.spec`, which knows each projection's target.
"""
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from .simulator import state


def _identity(model):
    return build_translations(*[(name, name) for name in model.default_parameters])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity(cells.IF_curr_exp)
    engine_model = "lif_cuba"


class IF_cond_exp(cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _identity(cells.IF_cond_exp)
    engine_model = "lif_coba"


class IF_curr_delta(cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    translations = _identity(cells.IF_curr_delta)
    engine_model = "lif_delta"


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity(cells.SpikeSourcePoisson)
    engine_model = "source"


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity(cells.SpikeSourceArray)
    engine_model = "source"


class DCSource(electrodes.DCSource):
    """A constant current (nA) for the whole run, added to each target cell's ``i_offset``.

    The engine's drive (``bias``) is constant over a run, so only a source that starts at 0 and never stops
    (``stop`` at its default 1e12 ms) on whole populations is accepted; anything else raises ``NotImplementedError``.
    """

    translations = _identity(electrodes.DCSource)

    def inject_into(self, cells):
        from pyNN import common
        if state.deployed:
            raise NotImplementedError("DCSource: injecting a current after the network was deployed "
                                      "(the first run); inject before running, or reset() first")
        amplitude = self.parameter_space["amplitude"]
        start = self.parameter_space["start"]
        stop = self.parameter_space["stop"]
        values = {}
        for name, value in (("amplitude", amplitude), ("start", start), ("stop", stop)):
            value.shape = (1,)
            values[name] = float(value.evaluate(simplify=True))
        if values["start"] > 0 or values["stop"] < 1e12:
            raise NotImplementedError(
                "DCSource with start > 0 or a finite stop: the engine's constant drive (bias) lasts the whole run")
        if isinstance(cells, common.Population):
            parent, mask = cells, None
        elif isinstance(cells, common.PopulationView) and cells.parent is not None:
            parent, mask = cells.grandparent if hasattr(cells, "grandparent") else cells.parent, cells
        else:
            parent, mask = None, cells
        if parent is None or mask is not None and len(mask) != parent.size:
            raise NotImplementedError("DCSource into part of a population: the engine has one parameter set per "
                                      "population; inject into whole populations")
        if not parent.celltype.injectable:
            raise TypeError(f"cannot inject current into {parent.celltype.__class__.__name__}")
        state.current_sources.append((parent, values["amplitude"]))


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity(synapses.StaticSynapse)

    def _get_minimum_delay(self):
        return state.min_delay_ms


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = build_translations(
        ("weight", "weight"), ("delay", "delay"), ("dendritic_delay_fraction", "dendritic_delay_fraction"))

    def _get_minimum_delay(self):
        return state.min_delay_ms


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__
    translations = _identity(synapses.AdditiveWeightDependence)


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    """Refused when a projection uses it: the engine's STDP is additive (``NotImplementedError`` at connect time)."""
    translations = _identity(synapses.MultiplicativeWeightDependence)


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = _identity(synapses.SpikePairRule)
