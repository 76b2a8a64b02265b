"""NeuroMesh from Python: a client of the HTTP gateway, an embedded node, and (``pyNN.neuromesh``) a PyNN backend.

    import neuromesh
    with neuromesh.local() as node:           # starts the repository's silo on free loopback ports
        client = node.client                  # or neuromesh.Client("http://127.0.0.1:8080", api_key=...)
        run = client.deploy("demo", client.example("cuba"))
        with run.spikes() as stream:
            run.step(1000)
            spikes = stream.collect(until_tick=1000)
        print(spikes.times, spikes.neurons)
"""
from .client import Client, Run, SpikeBatch, SpikeStream
from .errors import (ConflictError, GatewayError, InvalidRequestError, NotFoundError, PayloadTooLargeError,
                     RateLimitedError, RunFailedError, UnauthorizedError, UnavailableError)
from .local import LocalNode, find_silo, local

__version__ = "0.1.0"

__all__ = [
    "Client", "Run", "SpikeBatch", "SpikeStream", "LocalNode", "local", "find_silo",
    "GatewayError", "InvalidRequestError", "UnauthorizedError", "NotFoundError", "ConflictError",
    "PayloadTooLargeError", "RateLimitedError", "RunFailedError", "UnavailableError", "__version__",
]
