"""pyNN.neuromesh against a live two-silo embedded node: every cell type, connector and recorder, and the refusals.

Run: NEUROMESH_SILO=.../NeuroMesh.Silo.dll python3 -m unittest discover -s python/tests -v
(``import pyNN.neuromesh`` needs the package installed, or ``_neuromesh_pynn_hook`` imported first, as here.)
"""
import itertools
import unittest

import numpy as np
import quantities as pq

import neuromesh

try:
    import pyNN.neuromesh as sim  # resolved by neuromesh-pynn.pth once the package is installed
except ImportError:  # run from the source tree (PYTHONPATH=python): do what the .pth file does
    import _neuromesh_pynn_hook  # noqa: F401
    import pyNN.neuromesh as sim

node = None
_ids = itertools.count()


def setUpModule():
    global node
    node = neuromesh.local(silos=2)


def tearDownModule():
    if node is not None:
        node.stop()


def setup(**extra):
    run_id = extra.pop("run_id", f"pynn-test-{next(_ids)}")
    sim.setup(timestep=0.1, node=node, run_id=run_id, **extra)
    return run_id


def times(population, index=0):
    return np.round(population.get_data().segments[-1].spiketrains[index].magnitude, 6).tolist()


class Base(unittest.TestCase):
    def tearDown(self):
        sim.end()


class SetupTests(Base):
    def test_the_module_resolves_under_pyNN(self):
        import pyNN
        import pyNN_neuromesh
        self.assertIs(pyNN.neuromesh, pyNN_neuromesh)
        self.assertEqual(sim.simulator.name, "NeuroMesh")
        self.assertEqual(sorted(sim.list_standard_models()),
                         ["IF_cond_exp", "IF_curr_delta", "IF_curr_exp", "SpikeSourceArray", "SpikeSourcePoisson"])
        setup()

    def test_unknown_setup_options_are_refused(self):
        with self.assertRaises(ValueError) as caught:
            sim.setup(timestep=0.1, node=node, nodes=3)
        self.assertIn("nodes", str(caught.exception))


class SpikeSourceTests(Base):
    def test_spike_source_array_fires_at_exactly_its_times_into_a_neo_block(self):
        setup()
        trains = [[1.0, 5.0, 5.1], [2.5], []]
        source = sim.Population(3, sim.SpikeSourceArray(spike_times=trains), label="src")
        source.record("spikes")
        sim.run(10.0)
        block = source.get_data()
        self.assertEqual(len(block.segments), 1)
        spiketrains = block.segments[0].spiketrains
        self.assertEqual(len(spiketrains), 3)
        for train, expected in zip(spiketrains, trains):
            self.assertEqual(train.units, pq.ms)
            self.assertEqual(float(train.t_stop.rescale(pq.ms)), 10.0)
            self.assertEqual(np.round(train.magnitude, 6).tolist(), expected)
        self.assertEqual([int(t.annotations["channel_id"]) for t in spiketrains], [int(c) for c in source])
        self.assertEqual(source.get_spike_counts(), {int(source[0]): 3, int(source[1]): 1, int(source[2]): 0})

    def test_spike_times_off_the_time_grid_are_refused(self):
        setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.05]))
        source.record("spikes")
        with self.assertRaises(ValueError) as caught:
            sim.run(5.0)
        self.assertIn("1.05", str(caught.exception))

    def test_poisson_sources_fire_at_their_rate_between_start_and_start_plus_duration(self):
        setup(rng_seed=3)
        source = sim.Population(400, sim.SpikeSourcePoisson(rate=50.0, start=100.0, duration=500.0))
        source.record("spikes")
        sim.run(1000.0)
        spikes = np.concatenate([t.magnitude for t in source.get_data().segments[0].spiketrains])
        self.assertGreaterEqual(spikes.min(), 100.0)
        self.assertLess(spikes.max(), 600.0)
        rate = len(spikes) / 400 / 0.5
        self.assertLess(abs(rate - 50.0), 2.5, f"rate {rate} Hz")


class CellTypeTests(Base):
    # With only i_offset, v(t) = v_rest + R·I·(1 - exp(-t/tau_m)) from v_rest: threshold -50 from -65 with R·I = 20 mV
    # is crossed at t* = -20 ln(1 - 15/20) = 27.73 ms, so the first spike is in the tick that starts at 27.7 ms (the
    # tick whose update crosses), and then every t* + tau_refrac, to a tick.
    def _regular(self, population):
        train = times(population)
        self.assertGreater(len(train), 3)
        self.assertAlmostEqual(train[0], 27.7, places=6)
        isi = np.diff(train)
        self.assertTrue(np.all(np.abs(isi - (27.73 + 2.0)) <= 0.1 + 1e-9), isi)

    def test_if_curr_exp_with_offset_current_follows_the_exact_solution(self):
        setup()
        # R = tau_m / cm = 40 MΩ here, so 0.5 nA is the same 20 mV as 1 nA at cm = 1 (R·I is what counts).
        cells = sim.Population(2, sim.IF_curr_exp(cm=0.5, tau_m=20.0, i_offset=0.5, tau_refrac=2.0))
        cells.record("spikes")
        sim.run(200.0)
        self.assertEqual(times(cells, 0), times(cells, 1))
        self._regular(cells)

    def test_if_cond_exp_with_offset_current_follows_the_exact_solution(self):
        setup()
        cells = sim.Population(1, sim.IF_cond_exp(cm=1.0, tau_m=20.0, i_offset=1.0, tau_refrac=2.0))
        cells.record("spikes")
        sim.run(200.0)
        self._regular(cells)

    def test_if_curr_delta_and_dc_source(self):
        setup()
        cells = sim.Population(1, sim.IF_curr_delta(cm=2.0, tau_m=20.0, tau_refrac=2.0))
        sim.DCSource(amplitude=2.0).inject_into(cells)  # 2 nA × 10 MΩ = 20 mV
        cells.record("spikes")
        sim.run(200.0)
        self._regular(cells)

    def test_a_delta_weight_is_a_jump_in_mV(self):
        setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]))
        above = sim.Population(1, sim.IF_curr_delta())
        below = sim.Population(1, sim.IF_curr_delta())
        sim.Projection(source, above, sim.OneToOneConnector(), sim.StaticSynapse(weight=15.5, delay=1.0))
        sim.Projection(source, below, sim.OneToOneConnector(), sim.StaticSynapse(weight=14.5, delay=1.0))
        above.record("spikes")
        below.record("spikes")
        sim.run(30.0)
        # -65 + 15.5 decays for one tick to -49.58 (> -50); -65 + 14.5 stays below.
        self.assertEqual(times(above), [11.1])
        self.assertEqual(times(below), [])

    def test_a_cuba_weight_in_nA_is_scaled_by_the_membrane_resistance(self):
        setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]))
        small_r = sim.Population(1, sim.IF_curr_exp(cm=1.0, tau_m=20.0, tau_syn_E=5.0))
        large_r = sim.Population(1, sim.IF_curr_exp(cm=0.25, tau_m=20.0, tau_syn_E=5.0))
        for target in (small_r, large_r):
            sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=2.0, delay=1.0))
            target.record("spikes")
        sim.run(60.0)
        # Peak of a 2 nA exponential current: R·I·(tau_s/(tau_m - tau_s))·(...) is 3.8 mV at R = 20 MΩ (no spike) and
        # 15.1 mV at R = 80 MΩ (a spike).
        self.assertEqual(times(small_r), [])
        self.assertEqual(len(times(large_r)), 1)


class ConnectorTests(Base):
    # Each source i fires once, at 10·(i+1) ms; a 20 mV delta synapse makes each connected target fire one tick after
    # the delay, so the targets' spikes show exactly which connections the engine made.
    def _check(self, connector, n_pre=4, n_post=5, expected_count=None):
        setup(rng_seed=5)
        source = sim.Population(n_pre, sim.SpikeSourceArray(spike_times=[[10.0 * (i + 1)] for i in range(n_pre)]))
        target = sim.Population(n_post, sim.IF_curr_delta(tau_refrac=0.1))
        prj = sim.Projection(source, target, connector, sim.StaticSynapse(weight=20.0, delay=2.0))
        if expected_count is not None:
            self.assertEqual(len(prj), expected_count)
        target.record("spikes")
        sim.run(10.0 * (n_pre + 2))
        pairs = {(int(c[0]), int(c[1])) for c in prj.get(["weight"], format="list")}
        expected = sorted({(j, round(10.0 * (i + 1) + 2.0 + 0.1, 6)) for i, j in pairs})
        fired = sorted((j, t) for j in range(n_post) for t in times(target, j))
        self.assertEqual(fired, expected)
        return prj

    def test_all_to_all(self):
        self._check(sim.AllToAllConnector(), expected_count=20)

    def test_one_to_one(self):
        self._check(sim.OneToOneConnector(), n_pre=5, n_post=5, expected_count=5)

    def test_fixed_probability(self):
        prj = self._check(sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(seed=7)))
        self.assertGreater(len(prj), 0)
        self.assertLess(len(prj), 20)

    def test_fixed_number_pre(self):
        prj = self._check(sim.FixedNumberPreConnector(2, rng=sim.NumpyRNG(seed=7)), expected_count=10)
        posts = [int(c[1]) for c in prj.get(["weight"], format="list")]
        self.assertEqual(sorted(set(posts)), [0, 1, 2, 3, 4])
        self.assertTrue(all(posts.count(j) == 2 for j in range(5)))

    def test_fixed_number_post(self):
        prj = self._check(sim.FixedNumberPostConnector(3, rng=sim.NumpyRNG(seed=7)), expected_count=12)
        pres = [int(c[0]) for c in prj.get(["weight"], format="list")]
        self.assertTrue(all(pres.count(i) == 3 for i in range(4)))

    def test_from_list_with_per_connection_weights_and_delays(self):
        setup()
        source = sim.Population(2, sim.SpikeSourceArray(spike_times=[[10.0], [20.0]]))
        target = sim.Population(3, sim.IF_curr_delta())
        prj = sim.Projection(source, target, sim.FromListConnector(
            [(0, 0, 20.0, 1.0), (0, 1, 5.0, 1.0), (1, 2, 20.0, 3.0)], column_names=["weight", "delay"]))
        target.record("spikes")
        sim.run(40.0)
        self.assertEqual(prj.get("weight", format="list"), [(0, 0, 20.0), (0, 1, 5.0), (1, 2, 20.0)])
        self.assertEqual([times(target, j) for j in range(3)], [[11.1], [], [23.1]])

    def test_array_connector(self):
        matrix = np.array([[1, 0, 0, 1, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
        prj = self._check(sim.ArrayConnector(matrix), expected_count=int(matrix.sum()))
        self.assertEqual(sorted((int(c[0]), int(c[1])) for c in prj.get(["weight"], format="list")),
                         sorted((int(i), int(j)) for i, j in zip(*np.nonzero(matrix))))

    def test_population_views_connect_their_own_cells(self):
        setup()
        source = sim.Population(4, sim.SpikeSourceArray(spike_times=[[10.0], [20.0], [30.0], [40.0]]))
        target = sim.Population(3, sim.IF_curr_delta())
        sim.Projection(source[2:4], target[1:3], sim.OneToOneConnector(), sim.StaticSynapse(weight=20.0, delay=1.0))
        target.record("spikes")
        sim.run(50.0)
        self.assertEqual([times(target, j) for j in range(3)], [[], [31.1], [41.1]])


class PlasticityTests(Base):
    def test_additive_stdp_changes_weights_on_the_node(self):
        run_id = setup(rng_seed=2)
        pre = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0))
        post = sim.Population(10, sim.IF_curr_exp(i_offset=0.8, tau_refrac=2.0))
        stdp = sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.012),
            weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.5), weight=0.25, delay=1.0)
        prj = sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
        self.assertEqual(prj.get("weight", format="array").shape, (20, 10))
        post.record("spikes")
        sim.run(500.0)
        status = sim.client().run(run_id).status()
        self.assertGreater(status["weightChanges"], 0)
        self.assertTrue(sim.client().run(run_id).weights(bins=10)["plastic"])
        with self.assertRaises(NotImplementedError):
            prj.get("weight", format="array")

    def test_multiplicative_stdp_is_refused(self):
        setup()
        pre = sim.Population(2, sim.SpikeSourcePoisson(rate=10.0))
        post = sim.Population(2, sim.IF_curr_exp())
        stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                                 weight_dependence=sim.MultiplicativeWeightDependence(), weight=0.1, delay=1.0)
        with self.assertRaises(NotImplementedError) as caught:
            sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
        self.assertIn("MultiplicativeWeightDependence", str(caught.exception))


class ControlTests(Base):
    def test_run_run_until_reset_and_segments(self):
        run_id = setup(run_id="pynn-segments")
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0, 12.0, 25.0]))
        source.record("spikes")
        sim.run(10.0)
        self.assertEqual(sim.get_current_time(), 10.0)
        self.assertEqual(times(source), [1.0])
        sim.run_until(30.0)
        self.assertEqual(times(source), [1.0, 12.0, 25.0])
        self.assertEqual(sim.run_id(), run_id)
        sim.reset()
        self.assertEqual(sim.get_current_time(), 0.0)
        sim.run(20.0)
        self.assertEqual(sim.run_id(), run_id + ".1")
        block = source.get_data()
        self.assertEqual(len(block.segments), 2)
        self.assertEqual(np.round(block.segments[0].spiketrains[0].magnitude, 6).tolist(), [1.0, 12.0, 25.0])
        self.assertEqual(np.round(block.segments[1].spiketrains[0].magnitude, 6).tolist(), [1.0, 12.0])

    def test_the_same_network_on_one_and_on_two_silos_fires_the_same_spikes_and_replays(self):
        results = []
        for silos in (1, 2):
            run_id = setup(silos=silos, rng_seed=11)
            noise = sim.Population(50, sim.SpikeSourcePoisson(rate=20.0))
            cells = sim.Population(100, sim.IF_curr_exp(tau_refrac=2.0))
            cells.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0)))
            sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(seed=1)),
                           sim.StaticSynapse(weight=1.5, delay=0.5))
            sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(seed=2)),
                           sim.StaticSynapse(weight=-0.5, delay=1.0), receptor_type="inhibitory")
            cells.record("spikes")
            sim.run(300.0)
            status = sim.client().run(run_id).status()
            self.assertEqual(status["silos"], silos)
            results.append(([times(cells, j) for j in range(100)], status["spikeTrainHash"]))
            replay = sim.client().run(run_id).replay()
            self.assertEqual(replay["spikeTrainHash"], status["spikeTrainHash"])
            sim.end()
        self.assertEqual(results[0], results[1])
        self.assertGreater(sum(len(t) for t in results[0][0]), 0)


class RefusalTests(Base):
    def test_recording_v_or_gsyn_is_refused(self):
        setup()
        cells = sim.Population(2, sim.IF_cond_exp())
        for variable in ("v", "gsyn_exc", "gsyn_inh"):
            with self.assertRaises(NotImplementedError) as caught:
                cells.record(variable)
            self.assertIn(variable, str(caught.exception))

    def test_per_neuron_parameters_are_refused(self):
        setup()
        cells = sim.Population(2, sim.IF_curr_exp(tau_m=[10.0, 20.0]))
        cells.record("spikes")
        with self.assertRaises(NotImplementedError) as caught:
            sim.run(1.0)
        self.assertIn("tau_m", str(caught.exception))

    def test_timed_dc_sources_are_refused(self):
        setup()
        cells = sim.Population(2, sim.IF_curr_exp())
        with self.assertRaises(NotImplementedError) as caught:
            sim.DCSource(amplitude=1.0, start=50.0).inject_into(cells)
        self.assertIn("DCSource", str(caught.exception))
        with self.assertRaises(NotImplementedError):
            sim.DCSource(amplitude=1.0).inject_into(cells[0:1])

    def test_per_connection_random_weights_are_refused(self):
        setup()
        source = sim.Population(50, sim.SpikeSourcePoisson(rate=5.0))
        cells = sim.Population(50, sim.IF_curr_exp())
        weights = sim.RandomDistribution("uniform", (0.1, 0.2), rng=sim.NumpyRNG(seed=3))
        sim.Projection(source, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=weights, delay=1.0))
        with self.assertRaises(NotImplementedError) as caught:
            sim.run(1.0)
        self.assertIn("distinct (weight, delay)", str(caught.exception))

    def test_changes_after_the_first_run_are_refused(self):
        setup()
        cells = sim.Population(2, sim.IF_curr_exp())
        sim.run(1.0)
        with self.assertRaises(NotImplementedError):
            cells.set(tau_m=10.0)
        with self.assertRaises(NotImplementedError):
            sim.Population(1, sim.IF_curr_exp())
        with self.assertRaises(NotImplementedError):
            sim.Projection(cells, cells, sim.AllToAllConnector())

    def test_delays_off_the_time_grid_and_bad_node_input_are_errors(self):
        setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
        cells = sim.Population(1, sim.IF_curr_exp())
        sim.Projection(source, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=1.05))
        with self.assertRaises(ValueError) as caught:
            sim.run(5.0)
        self.assertIn("1.05", str(caught.exception))
        sim.end()
        setup()
        sim.Population(1, sim.IF_curr_exp(v_reset=-40.0, v_thresh=-50.0))
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            sim.run(1.0)
        self.assertEqual(caught.exception.path, "$.populations[0].params.vReset")

    def test_running_past_max_duration_is_refused(self):
        setup(max_duration=100.0)
        sim.Population(1, sim.IF_curr_exp())
        sim.run(100.0)
        with self.assertRaises(NotImplementedError) as caught:
            sim.run(0.1)
        self.assertIn("max_duration", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
