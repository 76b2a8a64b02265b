"""An embedded node: the repository's silo process, started on free loopback ports and stopped on exit."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from .client import Client

SILO_DLL = "NeuroMesh.Silo.dll"

#: Settings every embedded node gets (on top of the silo's defaults): a tap may send every spike (the PyNN backend
#: records through it and refuses sampled results), and bodies may carry big explicit connection lists.
LOCAL_SETTINGS: Dict[str, str] = {
    "NeuroMesh:Gateway:MaxSpikesPerSecond": "2000000000",
    "NeuroMesh:Gateway:MaxBodyBytes": str(512 * 1024 * 1024),
    "NeuroMesh:Gateway:MutationsPerWindow": "100000",
    "NeuroMesh:Gateway:ReadsPerWindow": "100000",
}


def find_silo(silo: Optional[str] = None) -> Path:
    """The silo to start: ``silo`` (a ``NeuroMesh.Silo.dll`` or a folder holding one), else ``$NEUROMESH_SILO``, else a
    built ``Silo/bin/{Release,Debug}/*/NeuroMesh.Silo.dll`` in the repository above the current directory or above this
    package (``$NEUROMESH_REPO`` names the repository explicitly).

    Raises ``FileNotFoundError`` saying where it looked and how to build one.
    """
    looked: List[str] = []
    for given in (silo, os.environ.get("NEUROMESH_SILO")):
        if given:
            path = Path(given).expanduser()
            if path.is_dir():
                path = path / SILO_DLL
            if path.is_file():
                return path.resolve()
            looked.append(str(path))
            origin = "the silo argument" if given == silo else "$NEUROMESH_SILO"
            raise FileNotFoundError(f"no silo at {path} (from {origin})")
    roots: List[Path] = []
    if os.environ.get("NEUROMESH_REPO"):
        roots.append(Path(os.environ["NEUROMESH_REPO"]).expanduser())
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        roots.extend([start, *start.parents])
    for root in roots:
        for config in ("Release", "Debug"):
            bin_dir = root / "Silo" / "bin" / config
            looked.append(str(bin_dir))
            if bin_dir.is_dir():
                found = sorted(bin_dir.glob(f"*/{SILO_DLL}"))
                if found:
                    return found[-1].resolve()
    raise FileNotFoundError(
        "no built NeuroMesh silo found; build it (dotnet build -c Release, in the repository) and run from the "
        "repository, or set NEUROMESH_SILO to the NeuroMesh.Silo.dll (or NEUROMESH_REPO to the repository). Looked in: "
        + ", ".join(dict.fromkeys(looked)))


def free_ports(count: int) -> List[int]:
    """``count`` distinct free TCP ports on 127.0.0.1 (free when asked; the silo binds them right after)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class LocalNode:
    """One or more silo processes forming a localhost cluster, with the first one's gateway as :attr:`client`.

    Use :func:`local` (a context manager) rather than building one directly.
    """

    def __init__(self, silos: int = 1, silo: Optional[str] = None, settings: Optional[Mapping[str, str]] = None,
                 ready_timeout: float = 180.0, dotnet: Optional[str] = None, log: Optional[str] = None) -> None:
        if silos < 1:
            raise ValueError(f"silos must be at least 1 (got {silos})")
        self.silo = find_silo(silo)
        self.dotnet = dotnet or shutil.which("dotnet") or os.environ.get("DOTNET", "dotnet")
        self.silos = silos
        self.settings = {**LOCAL_SETTINGS, **dict(settings or {})}
        self.ready_timeout = ready_timeout
        self.directory = Path(tempfile.mkdtemp(prefix="neuromesh-local-"))
        self.log_path = Path(log) if log else self.directory / "node.log"
        self.processes: List[subprocess.Popen] = []
        self.ports: List[List[int]] = []
        self.client: Client = Client("http://127.0.0.1:1")  # replaced by start()

    @property
    def url(self) -> str:
        """The first silo's HTTP address."""
        return self.client.url

    def start(self) -> "LocalNode":
        """Starts every silo and waits until each answers ``/health/ready`` and the first sees them all."""
        cluster = f"python-{uuid.uuid4().hex[:12]}"
        self._log = open(self.log_path, "ab")
        # The silos run in their own sessions, so nothing stops them when this interpreter ends; a script that raises
        # before its stop() (or sim.end()) would leave them running, stepping its run. stop() is idempotent.
        atexit.register(self.stop)
        try:
            for i in range(self.silos):
                silo_port, gateway_port, http_port = free_ports(3)
                env = dict(os.environ)
                env.update({
                    "DOTNET_ENVIRONMENT": "Production",
                    "Urls": f"http://127.0.0.1:{http_port}",
                    "NeuroMesh__Clustering__SiloPort": str(silo_port),
                    "NeuroMesh__Clustering__GatewayPort": str(gateway_port),
                    "NeuroMesh__Clustering__ClusterId": cluster,
                    "NeuroMesh__Clustering__ServiceId": cluster,
                    "NeuroMesh__DeltaLog__Path": str(self.directory / f"deltalog-{i}.db"),
                    "Logging__LogLevel__Default": "Warning",
                })
                if i > 0:
                    env["NeuroMesh__Clustering__PrimarySiloEndpoint"] = f"127.0.0.1:{self.ports[0][0]}"
                for key, value in self.settings.items():
                    env[key.replace(":", "__")] = value
                process = subprocess.Popen([self.dotnet, str(self.silo)], cwd=str(self.silo.parent), env=env,
                                           stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                           start_new_session=True)
                self.processes.append(process)
                self.ports.append([silo_port, gateway_port, http_port])
                self._wait_ready(i, Client(f"http://127.0.0.1:{http_port}"))
            self.client = Client(f"http://127.0.0.1:{self.ports[0][2]}")
            self._wait_members()
            return self
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, index: int, client: Client) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.processes[index].poll() is not None:
                raise RuntimeError(f"silo {index} exited with {self.processes[index].returncode} before it was ready; "
                                   f"its output: {self.log_path}\n{self._tail()}")
            if client.ready():
                return
            time.sleep(0.2)
        raise TimeoutError(f"silo {index} was not ready within {self.ready_timeout} s; its output: {self.log_path}\n"
                           + self._tail())

    def _wait_members(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while True:
            silos = self.client.cluster().get("silos", [])
            active = [s for s in silos if str(s.get("status", "")).lower() == "active"]
            if len(active) >= self.silos:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(active)} of {self.silos} silos active after {self.ready_timeout} s")
            time.sleep(0.2)

    def _tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stops every silo (SIGTERM, then SIGKILL after 10 s) and removes the node's temporary folder."""
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        self.processes.clear()
        atexit.unregister(self.stop)
        if getattr(self, "_log", None):
            self._log.close()
        if self.log_path.parent == self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "LocalNode":
        return self.start() if not self.processes else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def local(silos: int = 1, silo: Optional[str] = None, settings: Optional[Mapping[str, str]] = None,
          ready_timeout: float = 180.0, log: Optional[str] = None) -> LocalNode:
    """Starts an embedded node and returns it; use it as a context manager so it stops on exit::

        with neuromesh.local() as node:
            run = node.client.deploy("demo", spec)

    Args:
        silos: how many silo processes (a localhost cluster; runs spread over them).
        silo: the ``NeuroMesh.Silo.dll`` to run (default: ``$NEUROMESH_SILO`` or the repository's build, see
            :func:`find_silo`).
        settings: extra configuration keys (``NeuroMesh:Gateway:ApiKeys:0`` ...), on top of :data:`LOCAL_SETTINGS`.
        ready_timeout: seconds to wait for the silos.
        log: a file for the silos' output (default: a temporary file, removed on exit).
    """
    return LocalNode(silos, silo, settings, ready_timeout, log=log).start()
