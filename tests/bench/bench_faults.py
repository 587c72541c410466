"""A test-only estimator that misbehaves on purpose, imported by spawned bench workers.

``Faulty(behaviour=...)`` forecasts like Persistence, except that its ``fit``
raises (``"raise"``), hangs (``"hang"``), segfaults (``"segfault"``), exits its
process (``"exit"``), allocates 8 GB (``"memory"``) or overflows with a
RuntimeWarning (``"warn"``).
"""

import ctypes
import os
import time

import numpy as np

from lindy.baselines import Persistence

BEHAVIOURS = ("ok", "raise", "hang", "segfault", "exit", "memory", "warn")


class Faulty:
    """A Persistence forecaster with a failure mode."""

    def __init__(self, behaviour: str = "ok") -> None:
        self.behaviour = behaviour

    def get_params(self, deep: bool = True) -> dict:
        return {"behaviour": self.behaviour}

    def set_params(self, **params) -> "Faulty":
        self.behaviour = params.get("behaviour", self.behaviour)
        return self

    def fit(self, data) -> "Faulty":
        b = self.behaviour
        if b == "raise":
            raise RuntimeError("deliberate failure in fit")
        if b == "hang":
            time.sleep(3600)
        if b == "segfault":
            ctypes.string_at(0)
        if b == "exit":
            os._exit(3)
        if b == "memory":
            self.ballast_ = np.ones(2**30)  # 8 GB
        if b == "warn":
            np.exp(np.array([1000.0]))
        self.inner_ = Persistence().fit(data)
        return self

    def forecast(self, context, horizon: int, u=None):
        return self.inner_.forecast(context, horizon=horizon)
