"""The neuromesh client against live embedded nodes: every call, and each error mapping.

Run: NEUROMESH_SILO=.../NeuroMesh.Silo.dll python3 -m unittest discover -s python/tests -v
"""
import json
import os
import socket
import subprocess
import sys
import unittest

import numpy as np

import neuromesh

KEY = "python-key-0123456789abcdef"
FLOOD = "python-flood-0123456789abcdef"
node = None
strict = None


def setUpModule():
    global node, strict
    node = neuromesh.local()
    # A node with API keys, a small body limit and a small mutation budget (per key), for the error mappings.
    strict = neuromesh.local(settings={
        "NeuroMesh:Gateway:ApiKeys:0": KEY, "NeuroMesh:Gateway:ApiKeys:1": FLOOD,
        "NeuroMesh:Gateway:MaxBodyBytes": "4096", "NeuroMesh:Gateway:MutationsPerWindow": "30",
        "NeuroMesh:Gateway:RateWindowSeconds": "600"})


def tearDownModule():
    for n in (node, strict):
        if n is not None:
            n.stop()


def small_spec(duration=100.0):
    spec = node.client.example("delta_delays")
    spec["duration"] = duration
    return spec


class LocalNodeTests(unittest.TestCase):
    def test_local_serves_ready_on_a_loopback_port_and_stops_on_exit(self):
        with neuromesh.local() as other:
            self.assertTrue(other.url.startswith("http://127.0.0.1:"))
            self.assertTrue(other.client.ready())
            port = other.ports[0][2]
            process = other.processes[0]
        self.assertIsNotNone(process.poll(), "the silo process still runs after the with block")
        with socket.socket() as s:
            self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0, "the gateway port still accepts connections")

    def test_the_silo_stops_when_a_script_raises_before_stopping_it(self):
        script = ("import neuromesh, os\n"
                  "node = neuromesh.local()\n"
                  "print(node.processes[0].pid, node.ports[0][2], flush=True)\n"
                  "raise RuntimeError('the script fails before node.stop()')\n")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
        self.assertNotEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("the script fails before node.stop()", done.stderr)
        pid, port = (int(x) for x in done.stdout.split())
        with self.assertRaises(ProcessLookupError, msg=f"silo {pid} still runs after its script exited"):
            os.kill(pid, 0)
        with socket.socket() as s:
            self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0, "the gateway port still accepts connections")

    def test_a_missing_silo_path_is_a_clear_error(self):
        with self.assertRaises(FileNotFoundError) as caught:
            neuromesh.local(silo="/nonexistent/NeuroMesh.Silo.dll")
        self.assertIn("/nonexistent/NeuroMesh.Silo.dll", str(caught.exception))

    def test_zero_silos_is_refused(self):
        with self.assertRaises(ValueError):
            neuromesh.local(silos=0)


class RunTests(unittest.TestCase):
    def test_deploy_step_spikes_status_and_replay(self):
        client = node.client
        self.assertIn("cuba", client.examples())
        self.assertEqual(client.example("cuba")["populations"][0]["name"], "E")
        run = client.deploy("py-flow", small_spec())
        self.assertEqual(run.deployed["phase"], "Deployed")
        self.assertEqual(run.deployed["totalTicks"], 1000)
        populations = run.populations()
        self.assertEqual([(p["name"], p["first"], p["size"]) for p in populations], [("E", 0, 800), ("I", 800, 200)])
        with run.spikes() as stream:
            status = run.step(400)
            batch = stream.collect(until_tick=400)
        self.assertEqual(status["tick"], 400)
        self.assertEqual(status["phase"], "Paused")
        # Every spike of the run came through the tap, as numpy arrays.
        self.assertTrue(batch.complete)
        self.assertIsInstance(batch.ticks, np.ndarray)
        self.assertEqual(batch.ticks.dtype, np.int64)
        self.assertEqual(len(batch.neurons), status["spikes"])
        self.assertEqual(batch.fired, status["spikes"])
        self.assertGreater(status["spikes"], 0)
        self.assertTrue(np.all((batch.ticks >= 0) & (batch.ticks < 400)))
        self.assertTrue(np.all((batch.neurons >= 0) & (batch.neurons < 1000)))
        np.testing.assert_allclose(batch.times, batch.ticks * 0.1)
        self.assertEqual(int(batch.population_fired.sum()), status["spikes"])
        self.assertEqual(int(batch.population_fired[0]), int(np.sum(batch.neurons < 800)))

        self.assertGreaterEqual(run.checkpoints(), 1)
        self.assertEqual(len(run.shards()), status["silos"])
        weights = run.weights(bins=5)
        self.assertEqual(weights["synapses"], status["synapses"])
        self.assertEqual(len(weights["counts"]), 5)
        self.assertEqual(sum(weights["counts"]), weights["sampled"])
        cluster = client.cluster("py-flow")
        self.assertGreaterEqual(len(cluster["silos"]), 1)
        self.assertIn("/api/runs/{id}/deploy", client.openapi()["paths"])

        replay = run.replay()
        self.assertEqual(replay["spikeTrainHash"], status["spikeTrainHash"])
        self.assertEqual(replay["tick"], 400)

    def test_snapshot_fork_and_rescale(self):
        client = node.client
        run = client.deploy("py-snap", small_spec())
        for _ in range(10):
            run.step(20)
        run.pause()  # the default is a snapshot every 10 checkpoints: tick 200, logged once written
        data = run.snapshot(200)
        self.assertEqual(data[:6], b"NMSNAP")
        with self.assertRaises(neuromesh.GatewayError) as missing:
            run.snapshot(100)
        self.assertEqual(missing.exception.status, 400)
        self.assertIn("no snapshot of tick 100", missing.exception.reason)

        fork = client.fork("py-fork", "py-snap", 200, set=["stimuli.drive_E.rate=25"])
        status = fork.status()
        self.assertEqual((status["tick"], status["forkedFrom"]), (200, "py-snap"))
        self.assertGreater(fork.step(100)["tick"], 200)
        with self.assertRaises(neuromesh.GatewayError) as bad:
            client.fork("py-fork-bad", "py-snap", 200, set=["nothing"])
        self.assertEqual((bad.exception.status, bad.exception.path), (400, "$.set"))

        moved = run.rescale(1)
        self.assertEqual((moved["silos"], moved["tick"]), (1, 200))
        with self.assertRaises(neuromesh.GatewayError) as too_many:
            run.rescale(64)
        self.assertEqual(too_many.exception.status, 400)
        self.assertIn("active silo", too_many.exception.reason)

    def test_population_filter_and_inject(self):
        run = node.client.deploy("py-filter", small_spec())
        with run.spikes(population="I") as stream:
            run.inject([{"tick": 5, "neuron": 850, "weight": 100.0, "channel": "excitatory"}])
            status = run.step(200)
            batch = stream.collect(until_tick=200)
        self.assertTrue(np.all(batch.neurons >= 800))
        self.assertEqual(batch.fired, status["spikes"])
        self.assertEqual(batch.filtered, int(batch.population_fired[0]))
        self.assertIn(850, batch.neurons[batch.ticks <= 7].tolist())

    def test_a_reward_moves_r_stdp_weights_and_a_reward_that_changes_nothing_is_refused(self):
        spec = node.client.example("routes")
        spec["duration"] = 200.0
        spec["projections"] = [p for p in spec["projections"] if p["name"] != "reward"]  # no critic: rewards come from here
        runs = {name: node.client.deploy(name, spec) for name in ("py-rewarded", "py-unrewarded")}
        for run in runs.values():
            run.step(800)
        rewarded = runs["py-rewarded"].reward(25.0, population="actuators")
        self.assertEqual(rewarded["tick"], 800)
        runs["py-rewarded"].reward(25.0, tick=1400)  # every neuron with R-STDP synapses: the actuators again
        with self.assertRaises(neuromesh.InvalidRequestError) as nowhere:
            runs["py-rewarded"].reward(1.0, population="critic")
        self.assertIn("receives no R-STDP synapse", nowhere.exception.reason)
        with self.assertRaises(neuromesh.InvalidRequestError) as zero:
            runs["py-rewarded"].reward(0.0)
        self.assertEqual(zero.exception.path, "$.amount")
        for run in runs.values():
            run.step(1100)  # not to the end: a finished run frees its shards and their weights
        plain, learned = runs["py-unrewarded"].weights(bins=10), runs["py-rewarded"].weights(bins=10)
        self.assertEqual((plain["min"], plain["max"]), (3.0, 12.0))
        self.assertNotEqual((learned["min"], learned["max"]), (3.0, 12.0))

    def test_start_pause_wait_and_stop(self):
        run = node.client.deploy("py-bg", small_spec(duration=200.0))
        started = run.start(pace=0)
        self.assertIn(started["phase"], ("Running", "Finished"))
        finished = run.wait(("Finished",))
        self.assertEqual(finished["tick"], 2000)
        stopped = run.stop()
        self.assertEqual(stopped["phase"], "Stopped")
        paused_run = node.client.deploy("py-pause", small_spec(duration=60_000.0))
        paused_run.start(pace=1)
        paused = paused_run.pause()
        self.assertIn(paused["phase"], ("Running", "Paused"))
        self.assertEqual(paused_run.wait(("Paused",))["phase"], "Paused")
        paused_run.stop()

    def test_wait_raises_when_the_run_fails_and_names_why(self):
        # A custom filter nobody registered passes validation but fails when the engine is built: the run falls back
        # to Deployed, which wait() would otherwise poll until its timeout.
        spec = small_spec()
        spec["projections"][0]["filter"] = {"kind": "custom", "name": "never-registered"}
        run = node.client.deploy("py-fail", spec)
        run.start(pace=0)
        with self.assertRaises(neuromesh.RunFailedError) as caught:
            run.wait(("Finished",), timeout=60)
        self.assertIn("never-registered", caught.exception.status["error"])
        self.assertIn("never-registered", str(caught.exception))


class AgentTests(unittest.TestCase):
    def test_neurons_synapses_regions_and_agents(self):
        client = node.client
        configured = client.configure_neuron(5151, "py/motor", refractory_ticks=2, params={"tauM": 20})
        self.assertEqual(configured["refractoryTicks"], 2)
        self.assertEqual(client.neuron(5151)["refractoryTicks"], 2)
        client.connect(5151, 5152, weight=0.5, delay_ms=1)
        self.assertEqual([s["target"] for s in client.synapses(5151)], [5152])
        self.assertTrue(client.disconnect(5151, 5152))
        self.assertFalse(client.disconnect(5151, 5152))
        self.assertTrue(client.add_member("py/sensory", 78)["added"])
        self.assertEqual(client.region("py/sensory")["members"], [78])
        client.remove_member("py/sensory", 78)
        self.assertEqual(client.region("py/sensory")["members"], [])
        card = client.register_agent("py/motor", "arm", 5151, capabilities=["Grasp", "reach"])
        self.assertEqual(card["name"], "arm")
        self.assertEqual([c["name"] for c in client.find_agents(["grasp"], region="py")], ["arm"])
        self.assertEqual(client.find_agents(["grasp", "fly"], match="any", region="py")[0]["name"], "arm")
        self.assertEqual(client.find_agents(["fly"], region="py"), [])
        self.assertIsInstance(client.activity(5151), dict)
        with self.assertRaises(neuromesh.GatewayError) as caught:
            client.bind_behaviour(5151, "no-such-behaviour")
        self.assertIn(caught.exception.status, (400, 404))


class ErrorMappingTests(unittest.TestCase):
    def test_an_invalid_spec_names_the_json_path(self):
        spec = small_spec()
        spec["projections"][0]["rule"] = {"kind": "fixed_probability", "p": 1.5}
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            node.client.deploy("py-bad-spec", spec)
        e = caught.exception
        self.assertEqual(e.status, 400)
        self.assertEqual(e.path, "$.projections[0].rule.p")
        self.assertEqual(e.reason, "probability must be in [0, 1] (got 1.5)")
        self.assertIsInstance(e, ValueError)
        with self.assertRaises(neuromesh.NotFoundError):
            node.client.run("py-bad-spec").status()

    def test_an_invalid_field_of_a_request_names_it(self):
        run = node.client.deploy("py-bad-step", small_spec())
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            run.step(0)
        self.assertEqual(caught.exception.path, "$.ticks")
        self.assertIn("between 1 and 100000000", caught.exception.reason)
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            run.inject([{"tick": 1, "neuron": 1, "weight": 1.0, "channel": "sideways"}])
        self.assertEqual(caught.exception.path, "$.inputs[0].channel")
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            run.start(pace=-1)
        self.assertEqual(caught.exception.path, "pace")
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            node.client.run("bad id!").status()
        self.assertEqual(caught.exception.path, "id")
        with self.assertRaises(neuromesh.InvalidRequestError) as caught:
            run.spikes(population="Nope")
        self.assertEqual(caught.exception.path, "population")

    def test_unknown_run_conflict_and_unreachable(self):
        with self.assertRaises(neuromesh.NotFoundError) as caught:
            node.client.run("py-never-deployed").step(1)
        self.assertEqual(caught.exception.status, 404)
        self.assertIn("py-never-deployed", caught.exception.detail)
        node.client.deploy("py-twice", small_spec())
        with self.assertRaises(neuromesh.ConflictError) as caught:
            node.client.deploy("py-twice", small_spec())
        self.assertEqual(caught.exception.status, 409)
        run = node.client.run("py-twice")
        run.stop()
        with self.assertRaises(neuromesh.ConflictError):
            run.step(1)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        with self.assertRaises(neuromesh.UnavailableError) as caught:
            neuromesh.Client(f"http://127.0.0.1:{closed}").examples()
        self.assertEqual(caught.exception.status, 0)
        with self.assertRaises(ValueError):
            neuromesh.Client("ftp://example")

    def test_unauthorized_too_large_and_rate_limited(self):
        spec = json.dumps({"dt": 0.1, "duration": 10, "populations": [{"name": "A", "size": 1}]})
        with self.assertRaises(neuromesh.UnauthorizedError) as caught:
            neuromesh.Client(strict.url).deploy("py-auth", spec)
        self.assertEqual(caught.exception.status, 401)
        with self.assertRaises(neuromesh.NotFoundError):
            neuromesh.Client(strict.url, api_key=KEY).run("py-auth").status()
        keyed = neuromesh.Client(strict.url, api_key=KEY)
        self.assertEqual(keyed.deploy("py-auth", spec).deployed["neurons"], 1)
        with self.assertRaises(neuromesh.PayloadTooLargeError) as caught:
            keyed.deploy("py-big", json.dumps({"description": "x" * 8192, "populations": []}))
        self.assertEqual(caught.exception.status, 413)
        flood = neuromesh.Client(strict.url, api_key=FLOOD)
        with self.assertRaises(neuromesh.RateLimitedError) as caught:
            for _ in range(100):
                flood.run("py-auth").pause()
        self.assertEqual(caught.exception.status, 429)


if __name__ == "__main__":
    unittest.main()
