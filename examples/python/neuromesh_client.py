#!/usr/bin/env python3
"""NeuroMesh from Python with only the standard library (urllib, json).

Deploys an example network (CUBA by default) on a node's HTTP gateway, streams its spikes over
server-sent events (/spikes/stream) and prints each population's firing rate as the run unfolds.

    python3 examples/python/neuromesh_client.py --url http://127.0.0.1:8080 --duration 500

Mutations need an API key when the node has NeuroMesh:Gateway:ApiKeys configured (--api-key, or
NEUROMESH_API_KEY); a node without keys accepts them from loopback clients. An https:// node is checked
against the machine's CAs, or only against the CA (or pinned self-signed certificate) in --cafile
(NEUROMESH_CAFILE); certificate checks are never switched off.
"""
import argparse
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Gateway:
    """A minimal client of the node's REST API."""

    def __init__(self, url, api_key=None, cafile=None):
        self.url = url.rstrip("/")
        self.api_key = api_key
        # Only the given CA is trusted (the host name is still checked); None: the machine's CAs.
        self.context = ssl.create_default_context(cafile=cafile) if cafile else None

    def request(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.api_key:
            req.add_header("X-Api-Key", self.api_key)
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self.context) as response:
                text = response.read().decode("utf-8")
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("detail", detail)
            except ValueError:
                pass
            raise SystemExit(f"{method} {path}: {e.code} {detail}")

    def spikes(self, run, max_rate=5000):
        """Yields the SSE 'spikes' events of a run, as dicts, from the moment of subscription."""
        query = urllib.parse.urlencode({"run": run, "maxRate": max_rate})
        headers = {"Accept": "text/event-stream"}
        if self.api_key:
            headers["X-Api-Key"] = self.api_key  # needed to read when the gateway's reads are not open
        req = urllib.request.Request(f"{self.url}/spikes/stream?{query}", headers=headers)
        with urllib.request.urlopen(req, timeout=120, context=self.context) as stream:
            event = None
            for raw in stream:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[len("event: "):]
                elif line.startswith("data: "):
                    yield event, json.loads(line[len("data: "):])
                elif line == "":
                    event = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--api-key", default=os.environ.get("NEUROMESH_API_KEY"))
    parser.add_argument("--cafile", default=os.environ.get("NEUROMESH_CAFILE"),
                        help="PEM CA certificate (or pinned self-signed certificate) an https:// node's certificate must chain to")
    parser.add_argument("--example", default="cuba")
    parser.add_argument("--run", default=None, help="run id (default: EXAMPLE-<time>)")
    parser.add_argument("--duration", type=float, default=500, help="simulated milliseconds")
    parser.add_argument("--pace", type=float, default=0, help="simulated seconds per second (0: as fast as it can)")
    parser.add_argument("--max-rate", type=int, default=5000, help="spikes per second the stream may send")
    args = parser.parse_args()

    gateway = Gateway(args.url, args.api_key, args.cafile)
    run = args.run or f"{args.example}-{int(time.time() * 1000)}"
    spec = gateway.request("GET", f"/api/examples/{args.example}")
    spec["duration"] = args.duration
    status = gateway.request("POST", f"/api/runs/{run}/deploy", spec)
    populations = gateway.request("GET", f"/api/runs/{run}/populations")
    print(f"deployed {args.example} as {run}: {status['neurons']} neurons, {status['totalTicks']} ticks")

    counts = {p["name"]: 0 for p in populations}
    sent = sampled_away = filtered = fired = missed = 0
    events = gateway.spikes(run, args.max_rate)
    kind, _ = next(events)  # the 'open' event: the tap is subscribed, so starting now loses nothing
    assert kind == "open", kind
    gateway.request("POST", f"/api/runs/{run}/start?pace={args.pace}")
    total_ticks = status["totalTicks"]
    for kind, batch in events:
        if kind != "spikes":
            continue
        # populationFired counts every spike of the batch by population, before filtering and sampling.
        for p, fired_here in zip(populations, batch["populationFired"]):
            counts[p["name"]] += fired_here
        n = len(batch["neurons"])
        sent += n
        sampled_away += batch["sampledAway"]
        filtered += batch["filtered"]
        fired += batch["fired"]
        missed += batch["missedTicks"]
        seconds = batch["toTick"] * batch["dt"] / 1000.0
        rates = "  ".join(f"{name} {counts[name] / p_size(populations, name) / seconds:6.2f} Hz" for name in counts)
        print(f"t={batch['toTick'] * batch['dt']:8.1f} ms  {rates}  (sent {sent}, sampled away {sampled_away})", flush=True)
        if batch["toTick"] >= total_ticks:
            break

    final = gateway.request("GET", f"/api/runs/{run}")
    seconds = total_ticks * spec["dt"] / 1000.0
    print("rates: " + ", ".join(f"{name} {counts[name] / p_size(populations, name) / seconds:.2f} Hz" for name in counts))
    print(f"spikes: {fired} in the stream ({sent} sent, {sampled_away} sampled away, {filtered} filtered), "
          f"{final['spikes']} in the run, {missed} ticks missed")
    return 0 if fired == final["spikes"] and missed == 0 else 1


def p_size(populations, name):
    return next(p["size"] for p in populations if p["name"] == name)


if __name__ == "__main__":
    sys.exit(main())
