"""Invariants of dynamical systems: Lyapunov spectra, dimensions, periods.

- :func:`lyapunov_spectrum`: QR (Benettin) method with the system's Jacobian
  (analytic or finite differences) for flows and maps;
- :func:`delay_lyapunov_spectrum`: leading exponents of a delay equation (QR
  method on the discretized delay equation);
- :func:`max_lyapunov_rosenstein`: largest exponent from a time series;
- :func:`kaplan_yorke_dimension`, :func:`correlation_dimension`;
- :func:`dominant_period`: period of the power-spectrum peak.

These compute the metadata stored in ``lindy/systems/data/invariants.json``
(the developer tool ``python -m lindy._tools.regenerate``).

Examples
--------
>>> import lindy as ld
>>> from lindy.analysis import kaplan_yorke_dimension
>>> kaplan_yorke_dimension([0.5, 0.0, -1.0])
2.5
"""

from ._delay_lyapunov import delay_lyapunov_spectrum
from ._dimension import correlation_dimension, kaplan_yorke_dimension
from ._lyapunov import lyapunov_spectrum
from ._period import dominant_period
from ._rosenstein import max_lyapunov_rosenstein

__all__ = [
    "lyapunov_spectrum",
    "delay_lyapunov_spectrum",
    "max_lyapunov_rosenstein",
    "kaplan_yorke_dimension",
    "correlation_dimension",
    "dominant_period",
]
