"""From the PyNN model to a NetworkSpec (``docs/network-spec.md``), with exact unit conversions.

* ``IF_curr_exp`` → ``lif_cuba``: v in mV; the engine's synaptic drive is a potential (R·I), so weights (nA) and
  ``i_offset`` (nA) are multiplied by R = tau_m / cm (MΩ = ms / nF).
* ``IF_cond_exp`` → ``lif_coba``: the engine's conductances are relative to the leak g_L = cm / tau_m, so weights (µS)
  are multiplied by tau_m / cm; ``i_offset`` (nA) too (it becomes R·I in mV).
* ``IF_curr_delta`` → ``lif_delta``: weights are in mV, as in PyNN; ``i_offset`` times R.
* ``SpikeSourcePoisson`` / ``SpikeSourceArray`` → relay populations: ``lif_delta`` neurons (threshold 0.5 mV, reset 0,
  no refractory period) driven by a ``poisson`` / ``spike_times`` stimulus of weight 1, so each one fires in exactly
  the tick of each of its input events (at most one spike per tick).
"""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

import numpy as np
from pyNN.random import RandomDistribution

from .standardmodels import (IF_cond_exp, IF_curr_delta, IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson,
                             STDPMechanism)

#: The most NetworkSpec projections one PyNN projection may become (one per distinct weight and delay).
MAX_GROUPS = 1000

RELAY = {"tauM": 10.0, "vRest": 0.0, "vThreshold": 0.5, "vReset": 0.0, "refractory": 0.0}


class Layout:
    """Where each PyNN population's cells are among the engine's neurons."""

    def __init__(self) -> None:
        self.first: Dict[int, int] = {}
        self.names: Dict[int, str] = {}

    def first_neuron(self, population: Any) -> int:
        return self.first[id(population)]


def _uniform(population: Any, name: str) -> float:
    value = population._parameters[name]
    array = np.asarray(value.evaluate(simplify=False) if hasattr(value, "evaluate") else value, dtype=float)
    array = array.reshape(-1)
    if array.size and not np.all(array == array[0]):
        raise NotImplementedError(
            f"per-neuron values of '{name}' in population {population.label!r}: the network spec has one parameter set "
            "per population; split it into populations of equal parameters")
    return float(array[0]) if array.size else float("nan")


def _initial_v(population: Any) -> Any:
    lazy = population._initial.get("v")
    if lazy is None:
        return float(population.celltype.default_initial_values["v"])
    base = getattr(lazy, "base_value", lazy)
    if isinstance(base, RandomDistribution):
        p = base.parameters
        if base.name == "uniform":
            return {"kind": "uniform", "low": float(p["low"]), "high": float(p["high"])}
        if base.name == "normal":
            return {"kind": "normal", "mean": float(p["mu"]), "sd": float(p["sigma"])}
        raise NotImplementedError(f"initial v from a '{base.name}' distribution: the engine draws uniform and normal")
    if getattr(lazy, "operations", None):
        raise NotImplementedError("initial v from an expression of a distribution: give a constant, or a uniform or "
                                  "normal RandomDistribution")
    array = np.asarray(lazy.evaluate(simplify=False) if hasattr(lazy, "evaluate") else base, dtype=float).reshape(-1)
    if array.size and not np.all(array == array[0]):
        raise NotImplementedError(f"per-neuron initial v in population {population.label!r}: give a constant or a "
                                  "uniform or normal RandomDistribution (drawn by the engine)")
    return float(array[0])


def _resistance(population: Any) -> float:
    return _uniform(population, "tau_m") / _uniform(population, "cm")


def _on_grid(value: float, dt: float, what: str) -> float:
    ticks = round(value / dt)
    if abs(ticks * dt - value) > 1e-6 * dt:
        raise ValueError(f"{what} {value} ms is not a multiple of the time step {dt} ms")
    return round(ticks * dt, 10)


def build(state: Any) -> Tuple[Dict[str, Any], Layout]:
    """The NetworkSpec of everything created since ``setup`` (as a dict), and where each population landed."""
    dt = state.dt
    layout = Layout()
    populations: List[Dict[str, Any]] = []
    stimuli: List[Dict[str, Any]] = []
    bias: Dict[int, float] = {}
    for population, amplitude in state.current_sources:
        bias[id(population)] = bias.get(id(population), 0.0) + amplitude
    next_neuron = 0
    for index, population in enumerate(state.populations):
        name = f"p{index}"
        layout.first[id(population)] = next_neuron
        layout.names[id(population)] = name
        next_neuron += population.size
        celltype = population.celltype
        if isinstance(celltype, (IF_curr_exp, IF_cond_exp, IF_curr_delta)):
            r = _resistance(population)
            params: Dict[str, Any] = {
                "tauM": _uniform(population, "tau_m"), "vRest": _uniform(population, "v_rest"),
                "vThreshold": _uniform(population, "v_thresh"), "vReset": _uniform(population, "v_reset"),
                "refractory": _on_grid(_uniform(population, "tau_refrac"), dt, "tau_refrac"),
                "bias": (_uniform(population, "i_offset") + bias.get(id(population), 0.0)) * r,
                "vInit": _initial_v(population),
            }
            if not isinstance(celltype, IF_curr_delta):
                params["tauE"] = _uniform(population, "tau_syn_E")
                params["tauI"] = _uniform(population, "tau_syn_I")
            if isinstance(celltype, IF_cond_exp):
                params["eE"] = _uniform(population, "e_rev_E")
                params["eI"] = _uniform(population, "e_rev_I")
            populations.append({"name": name, "size": population.size, "model": celltype.engine_model,
                                "params": params})
        elif isinstance(celltype, (SpikeSourcePoisson, SpikeSourceArray)):
            populations.append({"name": name, "size": population.size, "model": "lif_delta", "params": dict(RELAY)})
            if isinstance(celltype, SpikeSourcePoisson):
                stimuli.extend(_poisson(population, name, state))
            else:
                stimuli.extend(_spike_times(population, name, state))
        else:  # Population._create_cells refuses other types
            raise NotImplementedError(f"cell type {type(celltype).__name__}")

    projections: List[Dict[str, Any]] = []
    for index, projection in enumerate(state.projections):
        projections.extend(_projection(projection, index, layout, dt))

    document = {
        "description": f"PyNN model built by pyNN.neuromesh (run {state.current_run_id()})",
        "dt": dt, "duration": state.max_duration, "seed": int(state.seed) + state.segment_counter,
        "populations": populations, "projections": projections, "stimuli": stimuli,
    }
    return document, layout


def _poisson(population: Any, name: str, state: Any) -> List[Dict[str, Any]]:
    dt = state.dt
    columns = {}
    for key in ("rate", "start", "duration"):
        value = population._parameters[key]
        columns[key] = np.asarray(value.evaluate(simplify=False) if hasattr(value, "evaluate") else value,
                                  dtype=float).reshape(-1) * np.ones(population.size)
    groups: Dict[Tuple[float, float, float], List[int]] = {}
    for i in range(population.size):
        groups.setdefault((columns["rate"][i], columns["start"][i], columns["duration"][i]), []).append(i)
    stimuli = []
    for k, ((rate, start, duration), neurons) in enumerate(sorted(groups.items())):
        if rate <= 0:
            continue
        stimulus: Dict[str, Any] = {"name": f"{name}_poisson{k}", "kind": "poisson", "target": name,
                                    "rate": rate, "count": 1, "weight": 1.0,
                                    "start": _on_grid(start, dt, "SpikeSourcePoisson start")}
        if len(neurons) < population.size:
            stimulus["neurons"] = neurons
        stop = start + duration
        if stop < state.max_duration:
            stimulus["stop"] = _on_grid(stop, dt, "SpikeSourcePoisson start + duration")
        stimuli.append(stimulus)
    return stimuli


def _spike_times(population: Any, name: str, state: Any) -> List[Dict[str, Any]]:
    dt = state.dt
    value = population._parameters["spike_times"]
    trains = value.evaluate(simplify=False) if hasattr(value, "evaluate") else value
    trains = np.broadcast_to(np.asarray(trains, dtype=object), (population.size,))
    events = []
    for neuron, train in enumerate(trains):
        times = np.asarray(getattr(train, "value", train), dtype=float).reshape(-1)
        for t in times:
            if t < 0 or t >= state.max_duration:
                raise ValueError(f"spike time {t} ms of {population.label!r} is outside [0, max_duration)")
            events.append({"neuron": neuron, "time": _on_grid(float(t), dt, "spike time")})
    if not events:
        return []
    return [{"name": f"{name}_array", "kind": "spike_times", "target": name, "weight": 1.0, "spikes": events}]


def _scale(projection: Any) -> float:
    """The factor from PyNN weight units to the engine's, for the projection's target."""
    post = projection._post
    celltype = post.celltype
    if isinstance(celltype, IF_curr_delta):
        return 1.0
    return _resistance(post)


def _projection(projection: Any, index: int, layout: Layout, dt: float) -> List[Dict[str, Any]]:
    pre_map, post_map = projection._pre_map, projection._post_map
    pre = projection.pre_indices if pre_map is None else np.asarray(pre_map(projection.pre_indices))
    post = projection.post_indices if post_map is None else np.asarray(post_map(projection.post_indices))
    if len(pre) == 0:
        return []
    scale = _scale(projection)
    weights = projection.weights * scale
    delays = np.round(projection.delays / dt).astype(np.int64)
    if np.any(np.abs(delays * dt - projection.delays) > 1e-6 * dt):
        bad = projection.delays[np.abs(delays * dt - projection.delays) > 1e-6 * dt][0]
        raise ValueError(
            f"delay {bad} ms of projection {projection.label!r} is not a multiple of the time step {dt} ms")
    channel = projection.receptor_type
    conductance = projection._post.celltype.conductance_based
    if conductance and np.any(projection.weights < 0):
        raise ValueError(f"projection {projection.label!r}: conductance weights must not be negative")
    plasticity = None
    if isinstance(projection.synapse_type, STDPMechanism):
        plasticity = _stdp(projection, scale)
    keys = np.stack([weights, delays.astype(float)], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(unique) > MAX_GROUPS:
        raise NotImplementedError(
            f"projection {projection.label!r} has {len(unique)} distinct (weight, delay) values: the network spec "
            f"gives each projection one weight and one delay, so they become one spec projection each, at most "
            f"{MAX_GROUPS}; per-connection random weights or delays are not supported")
    source, target = layout.names[id(projection._pre)], layout.names[id(projection._post)]
    out = []
    for g, (weight, delay) in enumerate(unique):
        mask = inverse == g
        pairs = np.stack([pre[mask], post[mask]], axis=1).astype(int).tolist()
        spec = {"name": f"prj{index}_{g}", "source": source, "target": target,
                "rule": {"kind": "explicit", "pairs": pairs}, "channel": channel,
                "weight": float(weight), "delay": round(float(delay) * dt, 10)}
        if plasticity is not None:
            spec["plasticity"] = plasticity
        out.append(spec)
    return out


def _stdp(projection: Any, scale: float) -> Dict[str, Any]:
    synapse = projection.synapse_type
    values = {}
    space = synapse.parameter_space
    for name in ("tau_plus", "tau_minus", "A_plus", "A_minus", "w_min", "w_max", "dendritic_delay_fraction"):
        value = space[name]
        value.shape = (1,)
        values[name] = float(np.asarray(value.evaluate(simplify=True)).reshape(-1)[0])
    if values["dendritic_delay_fraction"] != 1.0:
        raise NotImplementedError("STDPMechanism dendritic_delay_fraction other than 1 (PyNN's default, the only "
                                  "value mapped onto the engine's STDP)")
    if scale < 0 or values["w_min"] < 0:
        raise NotImplementedError("STDP on negative (inhibitory current) weights: the engine's rule clips to "
                                  "[wMin, wMax] with wMin >= 0 in PyNN units")
    return {"kind": "stdp", "aPlus": values["A_plus"] * values["w_max"] * scale,
            "aMinus": values["A_minus"] * values["w_max"] * scale, "tauPlus": values["tau_plus"],
            "tauMinus": values["tau_minus"], "wMin": values["w_min"] * scale, "wMax": values["w_max"] * scale}
