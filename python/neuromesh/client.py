"""A client of the NeuroMesh HTTP gateway: runs, spikes (numpy arrays, server-sent events) and agents.

Only the standard library and numpy: ``urllib`` for REST, a plain socket read for server-sent events.

    >>> import neuromesh
    >>> with neuromesh.local() as node:                        # or neuromesh.Client("http://127.0.0.1:8080")
    ...     run = node.client.deploy("demo", node.client.example("cuba") | {"duration": 200})
    ...     with run.spikes() as stream:                       # subscribe first: nothing is missed
    ...         run.step(2000)
    ...         batch = stream.collect(until_tick=2000)
"""
from __future__ import annotations

import json
import queue
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

import numpy as np

from .errors import GatewayError, RunFailedError, UnavailableError, error_for

Json = Dict[str, Any]


@dataclass(frozen=True)
class SpikeBatch:
    """The spikes a tap sent for ticks [``from_tick``, ``to_tick``), with the accounting of the ones it did not send.

    ``ticks`` and ``neurons`` are parallel numpy arrays (int64, int32); ``times`` gives the ticks in ms.
    ``fired`` counts every spike of the run in those ticks = sent + ``filtered`` + ``sampled_away``;
    ``population_fired`` splits ``fired`` by population (the order of :meth:`Run.populations`). ``missed_ticks``
    and ``dropped_spikes`` are non-zero only for a consumer that subscribed late or fell behind.
    """

    run: str
    from_tick: int
    to_tick: int
    dt: float
    ticks: np.ndarray
    neurons: np.ndarray
    fired: int = 0
    filtered: int = 0
    sampled_away: int = 0
    missed_ticks: int = 0
    dropped_spikes: int = 0
    population_fired: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def times(self) -> np.ndarray:
        """The spike times in ms (tick × dt)."""
        return self.ticks * self.dt

    @property
    def complete(self) -> bool:
        """Whether every spike the tap's filter passes was sent (nothing sampled away, dropped or missed)."""
        return self.sampled_away == 0 and self.missed_ticks == 0 and self.dropped_spikes == 0

    @staticmethod
    def from_event(data: Mapping[str, Any]) -> "SpikeBatch":
        """A batch from the JSON of one ``spikes`` event."""
        return SpikeBatch(
            run=str(data.get("run", "")),
            from_tick=int(data["fromTick"]),
            to_tick=int(data["toTick"]),
            dt=float(data["dt"]),
            ticks=np.asarray(data.get("ticks", []), dtype=np.int64),
            neurons=np.asarray(data.get("neurons", []), dtype=np.int32),
            fired=int(data.get("fired", 0)),
            filtered=int(data.get("filtered", 0)),
            sampled_away=int(data.get("sampledAway", 0)),
            missed_ticks=int(data.get("missedTicks", 0)),
            dropped_spikes=int(data.get("droppedSpikes", 0)),
            population_fired=np.asarray(data.get("populationFired", []), dtype=np.int64),
        )

    @staticmethod
    def concatenate(batches: Sequence["SpikeBatch"], run: str = "", dt: float = 0.0) -> "SpikeBatch":
        """One batch covering ``batches`` (in order): spikes appended, counts summed."""
        if not batches:
            return SpikeBatch(run, 0, 0, dt, np.zeros(0, np.int64), np.zeros(0, np.int32))
        widths = {len(b.population_fired) for b in batches}
        population = (np.sum([b.population_fired for b in batches], axis=0) if len(widths) == 1
                      else np.zeros(0, np.int64))
        return SpikeBatch(
            run=batches[0].run, from_tick=batches[0].from_tick, to_tick=batches[-1].to_tick, dt=batches[0].dt,
            ticks=np.concatenate([b.ticks for b in batches]), neurons=np.concatenate([b.neurons for b in batches]),
            fired=sum(b.fired for b in batches), filtered=sum(b.filtered for b in batches),
            sampled_away=sum(b.sampled_away for b in batches), missed_ticks=sum(b.missed_ticks for b in batches),
            dropped_spikes=sum(b.dropped_spikes for b in batches), population_fired=population)


class SpikeStream:
    """A live tap of a run's spikes (``GET /spikes/stream``, server-sent events).

    Opening it subscribes: every spike the run fires from then on is sent or accounted for, so open it before
    :meth:`Run.start` or :meth:`Run.step`. A background thread reads the events as they come (the node drops batches
    for a consumer that falls behind), so a blocking :meth:`Run.step` in the same thread loses nothing. Iterate it for
    :class:`SpikeBatch` objects, or call :meth:`collect`. Close it (or use ``with``) to unsubscribe.
    """

    def __init__(self, client: "Client", run: str, population: Union[str, Sequence[str], None] = None,
                 first: Optional[int] = None, end: Optional[int] = None, max_rate: Optional[int] = None,
                 timeout: float = 600.0) -> None:
        query: Dict[str, Any] = {"run": run}
        if population:
            query["population"] = population if isinstance(population, str) else ",".join(population)
        if first is not None:
            query["from"] = first
        if end is not None:
            query["to"] = end
        if max_rate is not None:
            query["maxRate"] = max_rate
        self.run = run
        self.timeout = timeout
        self._queue: "queue.Queue[Any]" = queue.Queue()
        self._response = client._open("GET", "/spikes/stream?" + urllib.parse.urlencode(query),
                                      accept="text/event-stream", timeout=timeout)
        self._closed = False
        kind, data = self._read_event()
        if kind != "open":
            self._response.close()
            raise GatewayError(0, "GET", "/spikes/stream", None, f"expected the 'open' event first, got {kind!r}")
        self.max_rate: int = int(data.get("maxRate", 0))
        self._last_tick = 0
        self._thread = threading.Thread(target=self._pump, name=f"neuromesh-sse-{run}", daemon=True)
        self._thread.start()

    def _read_event(self) -> "tuple[Optional[str], Any]":
        event: Optional[str] = None
        data: List[str] = []
        for raw in self._response:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith(":"):
                continue  # a keep-alive comment
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
            elif line == "" and (event is not None or data):
                return event, json.loads("\n".join(data)) if data else None
        return None, None  # end of stream

    def _pump(self) -> None:
        try:
            while True:
                kind, data = self._read_event()
                if kind is None:
                    self._queue.put(None)
                    return
                if kind == "spikes":
                    self._queue.put(SpikeBatch.from_event(data))
        except Exception as e:  # noqa: BLE001 - handed to the reader
            self._queue.put(e if not self._closed else None)

    def next(self, timeout: Optional[float] = None) -> Optional[SpikeBatch]:
        """The next batch; None when the stream ended. Raises ``TimeoutError`` when none came within ``timeout`` s."""
        try:
            item = self._queue.get(timeout=self.timeout if timeout is None else timeout)
        except queue.Empty:
            raise TimeoutError(f"no spike batch of run '{self.run}' within {timeout or self.timeout} s") from None
        if isinstance(item, Exception):
            raise UnavailableError(0, "GET", "/spikes/stream", None, f"the spike stream failed: {item}") from item
        if item is not None:
            self._last_tick = max(self._last_tick, item.to_tick)
        return item

    def __iter__(self) -> Iterator[SpikeBatch]:
        while True:
            batch = self.next()
            if batch is None:
                return
            yield batch

    def collect(self, until_tick: int, timeout: Optional[float] = None) -> SpikeBatch:
        """Every batch up to the one that reaches ``until_tick``, concatenated."""
        batches: List[SpikeBatch] = []
        while self._last_tick < until_tick:
            batch = self.next(timeout)
            if batch is None:
                break
            batches.append(batch)
        return SpikeBatch.concatenate(batches, self.run)

    @property
    def last_tick(self) -> int:
        """The ``to_tick`` of the last batch taken."""
        return self._last_tick

    def close(self) -> None:
        """Unsubscribes."""
        self._closed = True
        # Shut the socket down first: the reader thread is blocked in a read that close() alone would wait for
        # (up to the gateway's 10 s keep-alive).
        sock = None
        try:
            sock = self._response.fp.raw._sock  # http.client's socket under the buffered reader
        except AttributeError:
            pass
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        try:
            self._response.close()
        except Exception:  # noqa: BLE001 - closing a socket another thread reads
            pass
        self._thread.join(timeout=5)

    def __enter__(self) -> "SpikeStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Run:
    """One run on the cluster (``/api/runs/{id}``). Every method returns the gateway's JSON (a dict)."""

    def __init__(self, client: "Client", run_id: str) -> None:
        self.client = client
        self.id = run_id
        self._path = "/api/runs/" + urllib.parse.quote(run_id, safe="")

    def __repr__(self) -> str:
        return f"Run({self.id!r})"

    def status(self) -> Json:
        """The run's status: phase, tick, totalTicks, spikes, spikeTrainHash, checkpoints, silos, neurons..."""
        return self.client.request("GET", self._path)

    def populations(self) -> List[Json]:
        """The populations and their neuron ranges: ``[{"name", "first", "size"}, ...]``."""
        return self.client.request("GET", self._path + "/populations")

    def shards(self) -> List[Json]:
        """The region shards: silo, neuron range, synapses, window, cross-silo accounting."""
        return self.client.request("GET", self._path + "/shards")

    def weights(self, bins: int = 40) -> Json:
        """A histogram of the run's synaptic weights (the plastic ones when it has any)."""
        return self.client.request("GET", self._path + f"/weights?bins={int(bins)}")

    def checkpoints(self) -> int:
        """How many checkpoints the run's delta log holds (the gateway reports the count, not the list)."""
        return int(self.status()["checkpoints"])

    def start(self, pace: float = 0.0) -> Json:
        """Runs in the background to the end of the spec's duration (``pace`` simulated s per s; 0: flat out)."""
        return self.client.request("POST", self._path + f"/start?pace={float(pace)!r}")

    def pause(self) -> Json:
        """Pauses a background run after its current window."""
        return self.client.request("POST", self._path + "/pause")

    def stop(self) -> Json:
        """Stops the run for good."""
        return self.client.request("POST", self._path + "/stop")

    def step(self, ticks: int) -> Json:
        """Runs ``ticks`` ticks (at most to the end of the duration) and answers when they are confirmed."""
        return self.client.request("POST", self._path + "/step", {"ticks": int(ticks)})

    def inject(self, inputs: Sequence[Mapping[str, Any]]) -> Json:
        """External inputs ``{"tick", "neuron", "weight", "channel"}`` (logged with the run, replayed identically)."""
        return self.client.request("POST", self._path + "/inject", {"inputs": [dict(i) for i in inputs]})

    def reward(self, amount: float, population: Optional[str] = None, tick: Optional[int] = None) -> Json:
        """Sends a reward of ``amount`` to every neuron of ``population`` (None: every neuron that receives R-STDP
        synapses) at ``tick`` (None: the run's current tick). It is logged like an inject; R-STDP learns from it.
        A run, population or neuron without R-STDP synapses is refused (400), naming why."""
        body: Json = {"amount": float(amount)}
        if population is not None:
            body["population"] = population
        if tick is not None:
            body["tick"] = int(tick)
        return self.client.request("POST", self._path + "/reward", body)

    def replay(self, to_tick: int = -1, silos: int = 0, from_snapshot: Optional[bool] = None) -> Json:
        """Rebuilds the run from its log to ``to_tick`` (-1: its last checkpoint) on ``silos`` silos (0: as deployed),
        checking every checkpoint; returns the replay report (tick, spikes, spikeTrainHash, verified checkpoints).

        ``from_snapshot`` is sent only when given, for nodes whose replay takes it (start from the latest snapshot).
        """
        body: Json = {"toTick": int(to_tick), "silos": int(silos)}
        if from_snapshot is not None:
            body["fromSnapshot"] = bool(from_snapshot)
        return self.client.request("POST", self._path + "/replay", body)

    def rescale(self, silos: int) -> Json:
        """Moves the run, at its last checkpoint, onto ``silos`` silos; it carries on there with the same spikes."""
        return self.client.request("POST", self._path + "/rescale", {"silos": int(silos)})

    def snapshot(self, tick: int) -> bytes:
        """The run's engine snapshot of ``tick`` as a portable file (bytes; see docs/snapshots.md)."""
        with self.client._open("GET", f"{self._path}/snapshots/{int(tick)}", accept="application/octet-stream") as response:
            return response.read()

    def spikes(self, population: Union[str, Sequence[str], None] = None, first: Optional[int] = None,
               end: Optional[int] = None, max_rate: Optional[int] = None, timeout: float = 600.0) -> SpikeStream:
        """Subscribes to the run's spikes (see :class:`SpikeStream`); ``first``/``end``: a neuron id range."""
        return SpikeStream(self.client, self.id, population, first, end, max_rate, timeout)

    def wait(self, phases: Sequence[str] = ("Finished", "Stopped", "Paused"), timeout: float = 600.0,
             poll: float = 0.05) -> Json:
        """Polls :meth:`status` until the phase is one of ``phases``; raises :class:`RunFailedError` as soon as the run
        stopped on an error (its status names it), and ``TimeoutError`` after ``timeout`` s."""
        import time
        deadline = time.monotonic() + timeout
        while True:
            status = self.status()
            if status.get("error") and status.get("phase") != "Running":
                raise RunFailedError(self.id, status)
            if status.get("phase") in phases:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"run '{self.id}' still {status.get('phase')} after {timeout} s")
            time.sleep(poll)


class Client:
    """A client of one node's HTTP gateway.

    Args:
        url: the node's HTTP address, such as ``http://127.0.0.1:8080``.
        api_key: sent as ``X-Api-Key`` (needed for mutations when the node has ``NeuroMesh:Gateway:ApiKeys``).
        timeout: seconds one request may take (steps and deploys of big networks take long).
        cafile: for an ``https://`` node, a PEM CA certificate (or a pinned self-signed certificate) that the node's
            certificate must chain to; only it is trusted, and the host name is still checked. None: the machine's CAs.
            There is no switch that turns certificate checks off.
    """

    def __init__(self, url: str = "http://127.0.0.1:8080", api_key: Optional[str] = None, timeout: float = 600.0,
                 cafile: Optional[str] = None):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https:// (got {url!r})")
        if cafile is not None and not url.startswith("https://"):
            raise ValueError(f"cafile is for an https:// url (got {url!r})")
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._context = ssl.create_default_context(cafile=cafile) if cafile else None

    def __repr__(self) -> str:
        return f"Client({self.url!r})"

    # -- plumbing ----------------------------------------------------------------------------------------------------

    def _open(self, method: str, path: str, body: Any = None, accept: str = "application/json",
              timeout: Optional[float] = None) -> Any:
        data = None if body is None else (body if isinstance(body, (bytes, str)) else json.dumps(body))
        if isinstance(data, str):
            data = data.encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.api_key:
            req.add_header("X-Api-Key", self.api_key)
        try:
            return urllib.request.urlopen(req, timeout=self.timeout if timeout is None else timeout, context=self._context)
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                problem = json.loads(text) if text else None
            except ValueError:
                problem = None
            raise error_for(e.code, method, path, problem if isinstance(problem, dict) else None, text) from None
        except (urllib.error.URLError, OSError) as e:
            raise error_for(0, method, path, None, f"cannot reach {self.url}: {getattr(e, 'reason', e)}") from None

    def request(self, method: str, path: str, body: Any = None, timeout: Optional[float] = None) -> Any:
        """Sends one request and returns its JSON (None for an empty body). Failures raise :class:`GatewayError`."""
        with self._open(method, path, body, timeout=timeout) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text else None

    # -- node ------------------------------------------------------------------------------------------------------

    def ready(self) -> bool:
        """Whether the node answers ``/health/ready`` with 200."""
        try:
            with self._open("GET", "/health/ready", accept="text/plain", timeout=5) as response:
                return response.status == 200
        except GatewayError:
            return False

    def cluster(self, run: Optional[str] = None) -> Json:
        """The silos, their fabric rings and ingress counters, and (with ``run``) its shards on each."""
        return self.request("GET", "/api/cluster" + (f"?run={urllib.parse.quote(run)}" if run else ""))

    def examples(self) -> List[str]:
        """The names of the example specs built into the node."""
        return self.request("GET", "/api/examples")

    def example(self, name: str) -> Json:
        """One built-in example spec, as a dict ready to edit and deploy."""
        return self.request("GET", "/api/examples/" + urllib.parse.quote(name, safe=""))

    def openapi(self) -> Json:
        """The gateway's OpenAPI document."""
        return self.request("GET", "/openapi")

    # -- runs ------------------------------------------------------------------------------------------------------

    def fork(self, run_id: str, source: str, tick: int, set: Optional[Sequence[str]] = None,
             spec_patch: Optional[Mapping[str, Any]] = None, silos: int = 0) -> Run:
        """Starts run ``run_id`` from run ``source``'s snapshot of ``tick``, with ``PATH=VALUE`` changes ``set`` and a
        JSON merge patch ``spec_patch``, or none (then it reproduces the source's remainder)."""
        body: Json = {"from": source, "tick": int(tick), "set": list(set or []), "silos": int(silos)}
        if spec_patch is not None:
            body["specPatch"] = dict(spec_patch)
        self.request("POST", f"/api/runs/{urllib.parse.quote(run_id, safe='')}/fork", body)
        return Run(self, run_id)

    def run(self, run_id: str) -> Run:
        """A handle on run ``run_id`` (nothing is sent)."""
        return Run(self, run_id)

    def deploy(self, run_id: str, spec: Union[Mapping[str, Any], str], silos: int = 0) -> Run:
        """Deploys a NetworkSpec (a dict or JSON text) as ``run_id`` on ``silos`` silos (0: every active silo).

        Raises :class:`InvalidRequestError` naming every problem by its JSON path, :class:`ConflictError` when the id is
        taken.
        """
        run = Run(self, run_id)
        body = spec if isinstance(spec, str) else json.dumps(spec, separators=(",", ":"))
        path = run._path + f"/deploy?silos={int(silos)}"
        run.deployed = self.request("POST", path, body)  # type: ignore[attr-defined]
        return run

    # -- agents and topology ---------------------------------------------------------------------------------------

    def register_agent(self, region: str, name: str, neuron_id: int, capabilities: Sequence[str] = (),
                       regions: Sequence[str] = (), metadata: Optional[Mapping[str, str]] = None) -> Json:
        """Registers (or replaces) an agent card owned by ``region``; returns the card."""
        return self.request("POST", "/api/agents", {
            "region": region, "name": name, "neuronId": int(neuron_id), "capabilities": list(capabilities),
            "regions": list(regions), "metadata": dict(metadata or {})})

    def find_agents(self, capabilities: Sequence[str], match: str = "all", region: str = "/") -> List[Json]:
        """Agent cards in ``region``'s subtree with all (``match="all"``) or any of ``capabilities``."""
        if isinstance(capabilities, str):
            capabilities = [capabilities]
        query = [("capability", c) for c in capabilities] + [("match", match), ("region", region)]
        return self.request("GET", "/api/agents?" + urllib.parse.urlencode(query))

    def region(self, path: str = "/") -> Json:
        """A region: its members, children and cards."""
        return self.request("GET", "/api/regions?" + urllib.parse.urlencode({"path": path}))

    def add_member(self, region: str, neuron: int) -> Json:
        """Adds a stand-alone neuron to a region."""
        return self.request("POST", "/api/regions/members", {"region": region, "neuron": int(neuron)})

    def remove_member(self, region: str, neuron: int) -> Json:
        """Removes a stand-alone neuron from a region."""
        return self.request("POST", "/api/regions/members/remove", {"region": region, "neuron": int(neuron)})

    def neuron(self, neuron_id: int) -> Json:
        """A neuron: region, population, parameters, behaviour, card and outgoing synapses."""
        return self.request("GET", f"/api/neurons/{int(neuron_id)}")

    def configure_neuron(self, neuron_id: int, region: str, refractory_ticks: int = 0,
                         params: Optional[Mapping[str, float]] = None) -> Json:
        """Creates or edits a neuron: its region (fixed once set), refractory ticks and parameters."""
        return self.request("PUT", f"/api/neurons/{int(neuron_id)}", {
            "region": region, "refractoryTicks": int(refractory_ticks), "params": dict(params or {})})

    def bind_behaviour(self, neuron_id: int, behaviour: str) -> Json:
        """Binds a registered behaviour to the neuron and hosts it in its silo's agent mesh."""
        return self.request("POST", f"/api/neurons/{int(neuron_id)}/behaviour", {"behaviour": behaviour})

    def activity(self, neuron_id: int) -> Json:
        """Where a hosted neuron runs and what its behaviour did."""
        return self.request("GET", f"/api/neurons/{int(neuron_id)}/activity")

    def synapses(self, neuron_id: int) -> List[Json]:
        """A neuron's outgoing synapses."""
        return self.request("GET", f"/api/neurons/{int(neuron_id)}/synapses")

    def connect(self, neuron_id: int, target: int, weight: float, delay_ms: float = 0.0) -> Json:
        """Adds or changes the outgoing synapse from ``neuron_id`` to ``target``."""
        return self.request("PUT", f"/api/neurons/{int(neuron_id)}/synapses",
                            {"target": int(target), "weight": float(weight), "delayMs": float(delay_ms)})

    def disconnect(self, neuron_id: int, target: int) -> bool:
        """Removes the outgoing synapse to ``target``; whether there was one."""
        return bool(self.request("DELETE", f"/api/neurons/{int(neuron_id)}/synapses/{int(target)}")["removed"])
