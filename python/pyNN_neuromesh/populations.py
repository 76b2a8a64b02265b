"""Populations: parameters and initial values are kept here and turned into a NetworkSpec population at deploy."""
import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify
from pyNN.standardmodels import StandardCellType

from . import simulator
from .recording import Recorder


def _refuse_after_deploy(what):
    if simulator.state.deployed:
        raise NotImplementedError(f"{what} after the network was deployed (the first run): the engine cannot change a "
                                  "deployed network; call reset() first, or set it before running")


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        parameter_dict = {}
        for name in names:
            value = self.parent._parameters[name]
            if isinstance(value, np.ndarray):
                value = value[self.mask]
            parameter_dict[name] = simplify(value)
        return ParameterSpace(parameter_dict, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        _refuse_after_deploy("setting parameters")
        for name, value in parameter_space.items():
            try:
                self.parent._parameters[name][self.mask] = value.evaluate(simplify=True)
            except ValueError:
                raise errors.InvalidParameterValueError(f"{name} should not be of type {type(value)}")

    def _set_initial_value_array(self, variable, initial_values):
        raise NotImplementedError(
            "initialize() on part of a population: the network spec has one initial-value rule per population")

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        _refuse_after_deploy("creating a population")
        if not isinstance(self.celltype, StandardCellType) or not hasattr(self.celltype, "engine_model"):
            raise NotImplementedError(
                f"cell type {type(self.celltype).__name__}: pyNN.neuromesh supports IF_curr_exp, IF_cond_exp, "
                "IF_curr_delta, SpikeSourcePoisson and SpikeSourceArray")
        id_range = np.arange(simulator.state.id_counter, simulator.state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in id_range], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), bool)
        parameter_space = self.celltype.native_parameters
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(mask=self._mask_local, simplify=False)
        self._parameters = parameter_space.as_dict()
        self._initial = {}
        for id in self.all_cells:
            id.parent = self
        simulator.state.id_counter += self.size
        simulator.state.populations.append(self)

    def _set_initial_value_array(self, variable, initial_values):
        _refuse_after_deploy("initialize()")
        if variable != "v":
            values = initial_values.evaluate(simplify=False) if hasattr(initial_values, "evaluate") else initial_values
            if np.any(np.asarray(values, dtype=float) != 0):
                raise NotImplementedError(f"initial value of '{variable}' other than 0: only v can be initialised "
                                          "on the engine (synaptic variables start at 0)")
            return
        self._initial[variable] = initial_values

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        parameter_dict = {}
        for name in names:
            parameter_dict[name] = simplify(self._parameters[name])
        return ParameterSpace(parameter_dict, shape=(self.local_size,))

    def _set_parameters(self, parameter_space):
        _refuse_after_deploy("setting parameters")
        parameter_space.evaluate(simplify=False, mask=self._mask_local)
        for name, value in parameter_space.items():
            self._parameters[name] = value
