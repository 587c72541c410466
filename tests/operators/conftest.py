"""Operator tests run BLAS single-threaded.

Mid-size dense factorizations (a few hundred rows) are 5-50x slower with two
OpenBLAS threads on a loaded 2-core machine than with one; the tests check
numbers, not parallel speed.
"""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
