"""Exceptions for gateway failures.

The gateway answers every failure with RFC 9457 problem details (``application/problem+json``). A 400 names the
offending field by its JSON path in ``errors`` (for example ``$.projections[2].rule.p``); :class:`GatewayError` keeps
that path and the reason, and its subclasses say what kind of failure it was.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple


class GatewayError(Exception):
    """A request the gateway refused or failed.

    Attributes:
        status: the HTTP status code (0 when the node could not be reached at all).
        title: the problem's title, such as ``"Invalid network spec"``.
        detail: the problem's detail text.
        errors: every offending field as ``(json_path, reason)``, in the order the gateway gave them.
        method, url: the request.
        problem: the whole problem-details document (empty when the body was not JSON).
    """

    def __init__(self, status: int, method: str, url: str, problem: Optional[Mapping[str, Any]] = None,
                 text: str = "") -> None:
        self.status = status
        self.method = method
        self.url = url
        self.problem: Dict[str, Any] = dict(problem or {})
        self.title: str = str(self.problem.get("title", "") or "")
        self.detail: str = str(self.problem.get("detail", "") or text or "")
        errors: List[Tuple[str, str]] = []
        raw = self.problem.get("errors")
        if isinstance(raw, Mapping):
            for path, reasons in raw.items():
                for reason in (reasons if isinstance(reasons, list) else [reasons]):
                    errors.append((str(path), str(reason)))
        self.errors = errors
        super().__init__(self._message())

    @property
    def path(self) -> Optional[str]:
        """The JSON path (or query field) of the first problem, or None when the gateway named none."""
        return self.errors[0][0] if self.errors else None

    @property
    def reason(self) -> str:
        """The reason of the first problem, or the detail text."""
        return self.errors[0][1] if self.errors else self.detail

    def _message(self) -> str:
        where = f"{self.method} {self.url}: {self.status}"
        if self.title:
            where += f" {self.title}"
        if self.errors:
            return where + ": " + "; ".join(f"{path}: {reason}" for path, reason in self.errors)
        return where + (f": {self.detail}" if self.detail else "")


class InvalidRequestError(GatewayError, ValueError):
    """400: bad input. :attr:`path` names the field (a JSON path such as ``$.populations[0].size``)."""


class UnauthorizedError(GatewayError, PermissionError):
    """401: a mutation without a valid API key (or, on a node without keys, from a non-loopback client)."""


class NotFoundError(GatewayError, LookupError):
    """404: no such run, neuron or region."""


class ConflictError(GatewayError):
    """409: the request does not fit the run's state (deployed twice, stepping a stopped run, ...)."""


class PayloadTooLargeError(GatewayError):
    """413: the body exceeds ``NeuroMesh:Gateway:MaxBodyBytes``."""


class RateLimitedError(GatewayError):
    """429: too many requests in the gateway's rate window."""


class UnavailableError(GatewayError, ConnectionError):
    """503 (cluster unavailable), 504 (timed out), or the node could not be reached (status 0)."""


class RunFailedError(RuntimeError):
    """A run's step or background run failed on the node: its status names why (``error``).

    Attributes:
        run: the run id.
        status: the run's status document, whose ``error`` says what failed.
    """

    def __init__(self, run: str, status: Mapping[str, Any]) -> None:
        self.run = run
        self.status: Dict[str, Any] = dict(status)
        super().__init__(f"run '{run}' failed: {self.status.get('error', '')}")


_BY_STATUS = {
    400: InvalidRequestError,
    401: UnauthorizedError,
    403: UnauthorizedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitedError,
    503: UnavailableError,
    504: UnavailableError,
}


def error_for(status: int, method: str, url: str, problem: Optional[Mapping[str, Any]], text: str = "") -> GatewayError:
    """The exception for an HTTP failure: the subclass for ``status``, or :class:`GatewayError`."""
    kind = _BY_STATUS.get(status, UnavailableError if status == 0 else GatewayError)
    return kind(status, method, url, problem, text)
