"""Developer tools, never imported by ``import lindy`` or by any runtime module.

- ``regenerate``: recompute the stored invariants of the systems database
  (``lindy/systems/data/invariants.json``) with :mod:`lindy.analysis`, and the
  generated Jacobians (``--jacobians``, needs sympy). Run
  ``python -m lindy._tools.regenerate --help``.
- ``symbolic_jacobians``: the sympy generator of
  ``lindy/systems/_equations/jacobians.py``.
"""
