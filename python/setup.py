"""Installs ``neuromesh-pynn.pth`` next to the packages, so that ``import pyNN.neuromesh`` works (see docs/python.md).

Everything else is in pyproject.toml.
"""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "neuromesh-pynn.pth"


class BuildWithPth(build_py):
    """build_py that also copies the .pth file to the root of the built tree (site-packages once installed)."""

    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        shutil.copyfile(os.path.join(here, PTH), os.path.join(self.build_lib, PTH))


setup(cmdclass={"build_py": BuildWithPth})
