"""Benchmarks: jobs, suites, a resumable runner, a SQLite store and an HTML report.

A job is (method + params, system, protocol, random_state); its key hashes all of those
and the lindy version. The runner skips finished keys, records failures with
their traceback, and only the driver writes to the store.

Examples
--------
>>> import lindy as ld
>>> [job.name for job in ld.bench.suite_jobs("quick", systems=["Henon"])][:3]
['Persistence', 'LinearAR(5)', 'DMD']
"""

from ._export import export, merge_stores
from ._jobs import Job, execute
from ._leaderboard import by_protocol, leaderboard, leaderboard_tables, summary
from ._methods import METHODS, build_method, register_method
from ._pool import Limits, Terminated, WorkerStartError
from ._protocol_filtering import GaussianFilter, make_filtering_data, mse_db, run_filtering_protocol
from ._protocol_sysid import free_run, run_sysid_protocol, sysid_scores
from ._protocols import (
    PROTOCOL_DEFAULTS,
    PROTOCOLS,
    Protocol,
    ProtocolData,
    make_data,
    make_forecast_data,
    run_protocol,
)
from ._record import Record
from ._report import write_report
from ._runner import RunSummary, parse_shard, run, select_shard
from ._store import Store
from ._suites import SUITES, protocol_label, suite_jobs
from ._sysid_data import SYSID_BENCHMARKS, bouc_wen_estimation_data, sysid_estimation_data, sysid_record
from ._tuning import SEARCH_SPACES, register_search_space, tune

__all__ = [
    "Job",
    "Record",
    "execute",
    "Limits",
    "Terminated",
    "WorkerStartError",
    "METHODS",
    "build_method",
    "register_method",
    "PROTOCOL_DEFAULTS",
    "PROTOCOLS",
    "Protocol",
    "ProtocolData",
    "make_data",
    "make_forecast_data",
    "run_protocol",
    "SUITES",
    "suite_jobs",
    "run",
    "RunSummary",
    "parse_shard",
    "select_shard",
    "Store",
    "leaderboard",
    "leaderboard_tables",
    "summary",
    "by_protocol",
    "protocol_label",
    "write_report",
    "export",
    "merge_stores",
    "SEARCH_SPACES",
    "register_search_space",
    "tune",
    "SYSID_BENCHMARKS",
    "run_sysid_protocol",
    "free_run",
    "sysid_scores",
    "sysid_record",
    "sysid_estimation_data",
    "bouc_wen_estimation_data",
    "GaussianFilter",
    "make_filtering_data",
    "run_filtering_protocol",
    "mse_db",
]
