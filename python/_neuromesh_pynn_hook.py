"""Makes ``import pyNN.neuromesh`` load the ``pyNN_neuromesh`` package (one module object under both names).

Installed by ``neuromesh-pynn.pth``, which Python runs at start-up; it imports nothing heavy (no pyNN, no numpy).
"""
import importlib
import importlib.abc
import importlib.util
import sys

_ALIAS = "pyNN.neuromesh"
_REAL = "pyNN_neuromesh"


class _Loader(importlib.abc.Loader):
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return importlib.import_module(self.real)

    def exec_module(self, module):
        pass


class NeuroMeshPyNNFinder(importlib.abc.MetaPathFinder):
    """Resolves ``pyNN.neuromesh`` and ``pyNN.neuromesh.X`` to ``pyNN_neuromesh`` and ``pyNN_neuromesh.X``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        real = _REAL + fullname[len(_ALIAS):]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Loader(real))


def install():
    """Adds the finder once."""
    if not any(isinstance(f, NeuroMeshPyNNFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, NeuroMeshPyNNFinder())


install()
