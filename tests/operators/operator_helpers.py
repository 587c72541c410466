"""Helpers shared by the operator tests."""

from lindy.testing import checks, default_data


def check_all_but_complex_exactness(est):
    """Every named check; with a truncating rank, all but ``check_complex_data``.

    ``check_complex_data`` asks for an exact continuation of a rank-3 complex
    linear system, which a model truncated below rank 3 cannot give (the
    default configurations run it in tests/test_conformance.py).
    """
    data = default_data(est)
    for name, check in checks():
        if name == "check_complex_data" and est.get_params().get("rank") is not None:
            continue
        check(est, data)
