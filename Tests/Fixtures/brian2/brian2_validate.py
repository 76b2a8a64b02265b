#!/usr/bin/python3
"""Brian2 2.5.1 reference runs of the validation networks, one builder per network, with the statistics we compare.

Needs Debian's python3-brian (apt-get install -y python3-brian), /usr/bin/python3 and, for the default C++ standalone
mode, g++. Prints one JSON line with, per population: rate_hz, cv_isi, fraction_firing and fano (definitions below).

  /usr/bin/python3 Tests/Fixtures/brian2/brian2_validate.py --network brunel_ai --seed 1 --duration 1100

Networks (the matching NeuroMesh specs are in examples/; every parameter below is the spec's):
  brunel_sr, brunel_ai, brunel_si_fast, brunel_si_slow -- Brunel (2000) model A, Fig. 8: N_E = 10,000, N_I = 2,500
      (--sizes changes N_E, N_I and keeps the in-degrees), C_E = 1000, C_I = 250 drawn with replacement per target
      (multapses and autapses allowed), delta synapses J = 0.1 mV (excitatory), -g J (inhibitory), delay 1.5 ms,
      tau 20 ms, theta 20 mV, V_r 10 mV, tau_rp 2 ms, v(0) uniform in [0, 20) mV, external drive C_E = 1000 Poisson
      trains per neuron at nu_ext = (nu_ext/nu_thr) * 10 Hz. (g, nu_ext/nu_thr): SR (3, 2), AI (5, 2),
      SI fast (6, 4), SI slow (4.5, 0.9).                                 examples/brunel_{sr,si_fast,si_slow}.json,
                                                                          examples/brunel.json (AI)
  coba -- Vogels & Abbott (2005) COBA as examples/coba.json: 3200 E + 800 I, p = 0.02 (autapses allowed), conductances
      relative to the leak (we = 0.6, wi = 6.7), tau_e 5 ms, tau_i 10 ms, E_e 0 mV, E_i -80 mV, tau_m 20 ms,
      V_t -50, V_r = E_l = -60 mV, refractory 5 ms, v(0) uniform in [-60, -50), exponential Euler; instead of random
      initial conductances, a 50 ms kick of 20 Poisson trains at 100 Hz (weight 0.6 on ge) per neuron.
  delays -- examples/delta_delays.json: 800 E + 200 I delta-synapse LIF (as Brunel, J = 0.2 mV, g = 5), in-degrees
      80 (E) and 20 (I), no autapses within E->E and I->I, E->E delays uniform in [1, 3] ms (rounded to the step),
      other delays 1.5 ms, drive 300 Poisson trains at 20 Hz (weight 0.2 mV).
  microcircuit -- Potjans & Diesmann (2014), read from examples/microcircuit.json (every parameter is the spec's):
      8 populations scaled by --scale (round(N * scale), at least 1; in-degrees kept), lif_cuba as in CUBA
      (dv/dt = (ge + gi - (v - vRest)) / tauM, exponential ge and gi with tau 0.5 ms, exact integration),
      fixed_in_degree with replacement, normal weights, normal delays rounded to the step (at least 0), v(0) normal,
      background K_ext Poisson trains at 8 Hz per neuron (PoissonInput, binomial per step) on ge.

Semantics, against the NeuroMesh CpuEngine (see docs/model-semantics.md):
  * Input (recurrent and external) that arrives while a delta-synapse neuron is refractory is discarded, as in Brunel
    (2000) and NEST's iaf_psc_delta. Brian2 does this itself: every write to a variable marked (unless refractory),
    from Synapses or run_regularly, happens only where not_refractory holds ("conditional write"), so after a spike at
    step s the input arriving in steps s .. s + R - 1 is dropped (R = tau_rp / dt). The engine drops s .. s + R - 2 and
    keeps the input arriving in step s + R - 1, which it reads at step s + R when the neuron integrates again: one step
    apart. --refractory-input engine (Brunel only) writes the engine's discrete update out instead (input buffered in x
    and added before the leak at the next step if the neuron is active then), for the semantics comparison only.
  * External Poisson drive: one binomial draw per neuron and step, B(C_ext, nu dt), added in the 'synapses' slot
    (Brian2's PoissonInput does the same; it is written out here for the --drive variant). The engine draws one
    Poisson count with mean C_ext nu dt instead: --drive poisson runs that variant, --float32 runs 32-bit state like
    the engine (both for the semantics comparison only; the fixtures and the validate suite use the defaults).

Statistics, over spikes with step in [warmup, duration) (steps = round(t / dt)), per population:
  rate_hz          spikes / neurons / (duration - warmup)
  cv_isi           mean over neurons with >= 3 spikes of std(ISI) / mean(ISI) (population std)
  fraction_firing  neurons with >= 1 spike / neurons
  fano             mean over neurons with a non-zero mean count of var(counts, ddof=1) / mean(counts), counts in
                   consecutive complete bins of --bin ms starting at the warm-up
"""
import argparse
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402

NETWORKS = ["brunel_sr", "brunel_ai", "brunel_si_fast", "brunel_si_slow", "coba", "delays", "microcircuit"]
BRUNEL = {"brunel_sr": (3.0, 2.0), "brunel_ai": (5.0, 2.0), "brunel_si_fast": (6.0, 4.0), "brunel_si_slow": (4.5, 0.9)}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--network", required=True, choices=NETWORKS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--duration", type=float, default=1100.0, help="simulated ms")
    ap.add_argument("--warmup", type=float, default=100.0, help="ms left out of the statistics")
    ap.add_argument("--bin", type=float, default=50.0, help="Fano factor bin, ms")
    ap.add_argument("--sizes", default=None, help="N_E,N_I (Brunel only; in-degrees kept)")
    ap.add_argument("--scale", type=float, default=0.1, help="microcircuit: fraction of each population (in-degrees kept)")
    ap.add_argument("--mode", choices=["standalone", "numpy", "cython"], default="standalone")
    ap.add_argument("--dir", default=None, help="standalone build directory (reuse it across seeds: faster)")
    ap.add_argument("--refractory-input", choices=["brian2", "engine"], default="brian2")
    ap.add_argument("--drive", choices=["binomial", "poisson"], default="binomial",
                    help="external drive per step: binomial (PoissonInput's) or one Poisson count (the engine's)")
    ap.add_argument("--float32", action="store_true", help="32-bit state, as the engine (semantics comparison)")
    return ap.parse_args(argv)


def fixed_in_degree(rng, n_source, n_target, k, no_self=False):
    """k sources per target, uniformly with replacement (the engine's fixed_in_degree rule): {"i": i, "j": j}."""
    j = np.repeat(np.arange(n_target, dtype=np.int32), k)
    if no_self:
        i = rng.integers(0, n_source - 1, size=n_target * k, dtype=np.int32)
        i[i >= j] += 1
    else:
        i = rng.integers(0, n_source, size=n_target * k, dtype=np.int32)
    return {"i": i, "j": j}


def build_brunel(b, a, rng, ns):
    g, ratio = BRUNEL[a.network]
    ne, ni = (int(x) for x in a.sizes.split(",")) if a.sizes else (10000, 2500)
    ce, ci = 1000, 250
    ns.update(J=0.1 * b.mV, g=g, theta=20 * b.mV, Vr=10 * b.mV, tau=20 * b.ms, tau_rp=2 * b.ms)
    nu_ext = ratio * 10.0 * b.Hz  # nu_thr = theta / (J C_E tau) = 10 Hz
    ns["ext_binomial"] = b.BinomialFunction(ce, nu_ext * b.defaultclock.dt, name="ext_binomial")
    ns["ext_lambda"] = float(ce * nu_ext * b.defaultclock.dt)
    P = b.NeuronGroup(ne + ni, "dv/dt = -v / tau : volt (unless refractory)", threshold="v > theta", reset="v = Vr",
                      refractory=2 * b.ms, method="exact", namespace=ns)
    P.v = "rand() * theta"
    SE = b.Synapses(P[:ne], P, on_pre="v_post += J", delay=1.5 * b.ms, namespace=ns)
    SE.connect(**fixed_in_degree(rng, ne, ne + ni, ce))
    SI = b.Synapses(P[ne:], P, on_pre="v_post += -g * J", delay=1.5 * b.ms, namespace=ns)
    SI.connect(**fixed_in_degree(rng, ni, ne + ni, ci))
    draw = "ext_binomial()" if a.drive == "binomial" else "poisson(ext_lambda)"
    P.run_regularly(f"v += J * {draw}", when="synapses")
    return P, [("E", 0, ne), ("I", ne, ni)], [SE, SI]


def build_microcircuit(b, a, rng, ns):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "..", "examples", "microcircuit.json")) as f:
        spec = json.load(f)
    pm = spec["populations"][0]["params"]
    if any(p["params"] != pm or p["model"] != "lif_cuba" for p in spec["populations"]):
        raise SystemExit("microcircuit: every population must share lif_cuba parameters")
    ns.update(taum=pm["tauM"] * b.ms, taue=pm["tauE"] * b.ms, taui=pm["tauI"] * b.ms, El=pm["vRest"] * b.mV,
              Vt=pm["vThreshold"] * b.mV, Vr=pm["vReset"] * b.mV)
    sizes = {p["name"]: max(1, int(round(p["size"] * a.scale))) for p in spec["populations"]}
    first, populations = {}, []
    at = 0
    for p in spec["populations"]:
        first[p["name"]] = at
        populations.append((p["name"], at, sizes[p["name"]]))
        at += sizes[p["name"]]
    eqs = """dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
dge/dt = -ge / taue : volt
dgi/dt = -gi / taui : volt"""
    P = b.NeuronGroup(at, eqs, threshold="v > Vt", reset="v = Vr", refractory=pm["refractory"] * b.ms,
                      method="exact", namespace=ns)
    vi = pm["vInit"]
    P.v = (vi["mean"] + vi["sd"] * rng.standard_normal(at)) * b.mV
    dt = spec["dt"]
    synapses = []
    for proj in spec["projections"]:
        s, t = proj["source"], proj["target"]
        conn = fixed_in_degree(rng, sizes[s], sizes[t], proj["rule"]["n"])
        var = "ge" if proj["channel"] == "excitatory" else "gi"
        S = b.Synapses(P[first[s]:first[s] + sizes[s]], P[first[t]:first[t] + sizes[t]], "w : volt",
                       on_pre=f"{var}_post += w", namespace=ns)
        S.connect(**conn)
        n = len(conn["i"])
        S.w = (proj["weight"]["mean"] + proj["weight"]["sd"] * rng.standard_normal(n)) * b.mV
        d = proj["delay"]
        S.delay = np.maximum(0, np.rint((d["mean"] + d["sd"] * rng.standard_normal(n)) / dt)) * dt * b.ms
        synapses.append(S)
    for stim in spec["stimuli"]:
        t = stim["target"]
        synapses.append(b.PoissonInput(P[first[t]:first[t] + sizes[t]], "ge", N=stim["count"], rate=stim["rate"] * b.Hz,
                                       weight=stim["weight"] * b.mV))
    return P, populations, synapses


def build_brunel_engine_rule(b, a, rng, ns):
    """Brunel with the engine's discrete update written out (--refractory-input engine): input that arrives in step n
    is added at step n + 1 before the leak and dropped if the neuron is still refractory then."""
    g, ratio = BRUNEL[a.network]
    ne, ni = (int(x) for x in a.sizes.split(",")) if a.sizes else (10000, 2500)
    ce, ci = 1000, 250
    ns.update(J=0.1 * b.mV, g=g, theta=20 * b.mV, Vr=10 * b.mV, pm=float(np.exp(-0.1 / 20.0)), R=20)
    ns["ext_binomial"] = b.BinomialFunction(ce, ratio * 10.0 * b.Hz * b.defaultclock.dt, name="ext_binomial")
    P = b.NeuronGroup(ne + ni, "v : volt\nx : volt\nls : second", threshold="v > theta",
                      reset="v = Vr; ls = t", namespace=ns)
    P.v = "rand() * theta"
    P.ls = -1 * b.second
    P.run_regularly("active = int(timestep(t - ls, dt) >= R)\n"
                    "v = active * (v + x) * pm + (1 - active) * v\n"
                    "x = 0 * volt", when="groups")
    SE = b.Synapses(P[:ne], P, on_pre="x_post += J", delay=1.5 * b.ms, namespace=ns)
    SE.connect(**fixed_in_degree(rng, ne, ne + ni, ce))
    SI = b.Synapses(P[ne:], P, on_pre="x_post += -g * J", delay=1.5 * b.ms, namespace=ns)
    SI.connect(**fixed_in_degree(rng, ni, ne + ni, ci))
    P.run_regularly("x += J * ext_binomial()", when="synapses")
    return P, [("E", 0, ne), ("I", ne, ni)], [SE, SI]


def build_coba(b, a, rng, ns):
    ne, ni = 3200, 800
    ns.update(taum=20 * b.ms, taue=5 * b.ms, taui=10 * b.ms, Vt=-50 * b.mV, Vr=-60 * b.mV, El=-60 * b.mV,
              Ee=0 * b.mV, Ei=-80 * b.mV, we=0.6, wi=6.7)
    ns["kick_binomial"] = b.BinomialFunction(20, 100 * b.Hz * b.defaultclock.dt, name="kick_binomial")
    eqs = """dv/dt = ((El - v) + ge * (Ee - v) + gi * (Ei - v)) / taum : volt (unless refractory)
             dge/dt = -ge / taue : 1
             dgi/dt = -gi / taui : 1"""
    P = b.NeuronGroup(ne + ni, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * b.ms,
                      method="exponential_euler", namespace=ns)
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0
    P.gi = 0
    Ce = b.Synapses(P[:ne], P, on_pre="ge_post += we", namespace=ns)
    Ce.connect(p=0.02)
    Ci = b.Synapses(P[ne:], P, on_pre="gi_post += wi", namespace=ns)
    Ci.connect(p=0.02)
    # The engine's stimulus stops at tick 500 (50 ms) and is read in the tick it is drawn for: input added at step n
    # acts at step n + 1, so the last step that adds it is 498.
    P.run_regularly("ge += we * kick_binomial() * int(timestep(t, dt) < 499)", when="synapses")
    return P, [("E", 0, ne), ("I", ne, ni)], [Ce, Ci]


def build_delays(b, a, rng, ns):
    ne, ni = 800, 200
    ns.update(J=0.2 * b.mV, theta=20 * b.mV, Vr=10 * b.mV, tau=20 * b.ms, tau_rp=2 * b.ms)
    ns["ext_binomial"] = b.BinomialFunction(300, 20 * b.Hz * b.defaultclock.dt, name="ext_binomial")
    P = b.NeuronGroup(ne + ni, "dv/dt = -v / tau : volt (unless refractory)", threshold="v > theta", reset="v = Vr",
                      refractory=2 * b.ms, method="exact", namespace=ns)
    P.v = "rand() * theta"
    E, I = P[:ne], P[ne:]
    on_e = "v_post += J"
    on_i = "v_post += -5 * J"
    EE = b.Synapses(E, E, on_pre=on_e, namespace=ns)
    EE.connect(**fixed_in_degree(rng, ne, ne, 80, no_self=True))
    EE.delay = "1*ms + 2*ms * rand()"
    EI = b.Synapses(E, I, on_pre=on_e, delay=1.5 * b.ms, namespace=ns)
    EI.connect(**fixed_in_degree(rng, ne, ni, 80))
    IE = b.Synapses(I, E, on_pre=on_i, delay=1.5 * b.ms, namespace=ns)
    IE.connect(**fixed_in_degree(rng, ni, ne, 20))
    II = b.Synapses(I, I, on_pre=on_i, delay=1.5 * b.ms, namespace=ns)
    II.connect(**fixed_in_degree(rng, ni, ni, 20, no_self=True))
    P.run_regularly("v += J * ext_binomial()", when="synapses")
    return P, [("E", 0, ne), ("I", ne, ni)], [EE, EI, IE, II]


def statistics(i, steps, first, size, from_step, end_step, bin_steps, dt_ms):
    """The four statistics of neurons [first, first + size) over steps [from_step, end_step) (see the module doc)."""
    keep = (i >= first) & (i < first + size) & (steps >= from_step) & (steps < end_step)
    i, steps = i[keep] - first, steps[keep]
    order = np.lexsort((steps, i))
    i, steps = i[order], steps[order]
    counts = np.bincount(i, minlength=size)
    seconds = (end_step - from_step) * dt_ms / 1000.0
    cvs = []
    starts = np.concatenate(([0], np.cumsum(counts)))
    for n in np.nonzero(counts >= 3)[0]:
        isi = np.diff(steps[starts[n]:starts[n + 1]]).astype(float)
        cvs.append(isi.std() / isi.mean())
    bins = int((end_step - from_step) // bin_steps)
    fano = 0.0
    if bins >= 2:
        b = (steps - from_step) // bin_steps
        ok = b < bins
        per = np.zeros((size, bins))
        np.add.at(per, (i[ok], b[ok]), 1)
        m = per.mean(axis=1)
        nz = m > 0
        fano = float((per[nz].var(axis=1, ddof=1) / m[nz]).mean()) if nz.any() else 0.0
    return {"rate_hz": float(counts.sum() / size / seconds), "cv_isi": float(np.mean(cvs)) if cvs else 0.0,
            "fraction_firing": float((counts > 0).sum() / size), "fano": fano, "spikes": int(counts.sum())}


def main(argv=None):
    a = parse_args(argv)
    import brian2 as b
    if a.mode == "standalone":
        b.set_device("cpp_standalone", directory=a.dir or f"/tmp/brian2_validate_{a.network}", build_on_run=True)
    else:
        b.prefs.codegen.target = a.mode
    if a.float32:
        b.prefs.core.default_float_dtype = np.float32
    b.defaultclock.dt = 0.1 * b.ms
    b.seed(a.seed)
    rng = np.random.default_rng(a.seed)
    ns = {}
    build = {"coba": build_coba, "delays": build_delays, "microcircuit": build_microcircuit}.get(a.network, build_brunel)
    if a.refractory_input == "engine" and build is build_brunel:
        build = build_brunel_engine_rule
    P, populations, synapses = build(b, a, rng, ns)
    mon = b.SpikeMonitor(P)
    net = b.Network(P, mon, *synapses)
    t0 = time.time()
    net.run(a.duration * b.ms, namespace=ns)
    wall = time.time() - t0
    loop = getattr(b.device, "_last_run_time", None) if a.mode == "standalone" else wall
    dt_ms = 0.1
    i = np.asarray(mon.i[:], dtype=np.int64)
    steps = np.rint(np.asarray(mon.t[:] / b.ms) / dt_ms).astype(np.int64)
    from_step = int(round(a.warmup / dt_ms))
    end_step = int(round(a.duration / dt_ms))
    bin_steps = int(round(a.bin / dt_ms))
    stats = {name: statistics(i, steps, first, size, from_step, end_step, bin_steps, dt_ms)
             for name, first, size in populations}
    print(json.dumps({"network": a.network, "seed": a.seed, "mode": a.mode, "duration_ms": a.duration,
                      "warmup_ms": a.warmup, "bin_ms": a.bin, "sizes": {n: s for n, _, s in populations},
                      "refractory_input": a.refractory_input, "drive": a.drive, "float32": a.float32,
                      "synapses": int(sum(len(s) for s in synapses if isinstance(s, b.Synapses))),
                      "loop_s": loop, "wall_s": wall, "populations": stats}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
