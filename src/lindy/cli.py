"""The ``lindy`` command line: systems, simulation and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import LindyError

app = typer.Typer(help="lindy: dynamical systems through their linear structure.",
                  no_args_is_help=True, add_completion=False)
bench_app = typer.Typer(help="Run, merge and report benchmarks.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
console = Console()
err_console = Console(stderr=True)


def _fail(err: Exception) -> None:
    from rich.markup import escape

    # one line (no wrapping), the message as written ("lindy[bench]" is not markup)
    err_console.print(f"[bold red]error:[/] {escape(str(err))}", soft_wrap=True, highlight=False)
    raise typer.Exit(code=2)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        console.print(f"lindy {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """lindy: learn, filter, forecast, analyze and benchmark dynamical systems."""


@app.command("systems")
def systems_cmd(kind: Optional[str] = typer.Option(None, help="flow, map, delay, sde or linear."),
                dim: Optional[int] = typer.Option(None, help="Only systems of this dimension.")) -> None:
    """List the systems of the database."""
    from .systems import KINDS, get_system, list_systems

    kinds = (*KINDS, "linear")
    if kind is not None and kind not in kinds:
        _fail(ValueError(f"--kind must be one of {', '.join(kinds)}; got {kind!r}."))
    table = Table(title="lindy systems")
    for col, width in (("name", 14), ("kind", 5), ("dim", 3), ("dt", 6), ("period", 6),
                       ("λ max", 7)):
        table.add_column(col, no_wrap=True, min_width=width)
    wide = console.width >= 110  # the description only where it fits
    if wide:
        table.add_column("description", no_wrap=True, overflow="ellipsis",
                         max_width=console.width - 78)
    names = list_systems(kind=kind, dim=dim)
    for name in names:
        s = get_system(name)
        period, lam = s.meta.get("period"), s.meta.get("max_lyapunov")
        row = [name, s.kind, str(s.dim), f"{s.dt:.3g}",
               "" if period is None else f"{period:.3g}", "" if lam is None else f"{lam:.3g}"]
        table.add_row(*row, *([str(s.meta.get("description") or "")] if wide else []))
    console.print(table)
    console.print(f"{len(names)} systems")


@app.command("simulate")
def simulate_cmd(name: str = typer.Argument(..., help="System name, e.g. Lorenz."),
                 steps: int = typer.Option(1000, "--steps", help="Samples per trajectory."),
                 out: Path = typer.Option(..., "--out", help="Output .npz file."),
                 dt: Optional[float] = typer.Option(None, help="Sampling interval."),
                 n_traj: int = typer.Option(1, "--n-traj", help="Number of trajectories."),
                 obs_noise: float = typer.Option(0.0, "--obs-noise",
                                                 help="Observation noise (fraction of std)."),
                 random_state: Optional[int] = typer.Option(None, "--random-state",
                                                            help="Random seed."),
                 pts_per_period: Optional[int] = typer.Option(None, "--pts-per-period")) -> None:
    """Simulate a system and save t (T,), x (n_traj, T, d) to an .npz file."""
    import numpy as np

    from .systems import get_system, simulate

    try:
        data = simulate(get_system(name), n_steps=steps, dt=dt, n_traj=n_traj,
                        obs_noise=obs_noise, random_state=random_state,
                        pts_per_period=pts_per_period)
    except LindyError as err:
        _fail(err)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, t=data[0].t, x=data.to_array(), system=name)
    console.print(f"wrote {out}: {n_traj} x {steps} samples of {name} (d={data.dim})")


def print_leaderboard(store: Path, suite: Optional[str] = None, max_systems: int = 8) -> None:
    """Print the leaderboards of a store as rich tables, protocol by protocol.

    Per protocol and metric: median and IQR over systems and best-per-system counts;
    then one table per system when there are at most ``max_systems`` systems (the
    full set is in ``lindy bench report``).
    """
    from .bench import Store, leaderboard_tables

    with Store(store, readonly=True) as db:
        records = db.results(suite=suite)
    per_system = len({r.system for r in records}) <= max_systems
    tables = leaderboard_tables(records, per_system=per_system)
    for protocol in dict.fromkeys(t["protocol"] for t in tables):
        console.rule(f"[bold]{protocol}")
        for spec in (t for t in tables if t["protocol"] == protocol):
            table = Table(title=spec["title"])
            for k, head in enumerate(spec["header"][:-1]):
                table.add_column(head, justify="left" if k == 0 else "right")
            for row in spec["rows"]:
                table.add_row(*row[:-1])
            console.print(table)
    if not per_system:
        console.print(f"(per-system tables: `lindy bench report --store {store}`)")


@bench_app.command("run")
def bench_run(suite: str = typer.Option("quick", help="quick, standard, full, sysid or ecg."),
              store: Path = typer.Option(Path("results.sqlite"), help="SQLite results file."),
              jobs: int = typer.Option(2, help="Worker processes (1 = serial)."),
              scheduler: Optional[str] = typer.Option(
                  None, help="Dask scheduler address (tcp://host:8786)."),
              dask_local: Optional[int] = typer.Option(
                  None, "--dask-local", help="Run on a Dask LocalCluster of N worker processes."),
              connect_timeout: float = typer.Option(
                  10.0, "--connect-timeout", help="Seconds to wait for the Dask scheduler."),
              shard: Optional[str] = typer.Option(None, help="Run shard i/N only (1-based)."),
              system: Optional[list[str]] = typer.Option(None, help="Restrict to systems."),
              method: Optional[list[str]] = typer.Option(None, help="Restrict to methods."),
              timeout: Optional[float] = typer.Option(
                  None, "--timeout", help="Seconds per job before it is stopped (local workers)."),
              memory_limit: Optional[float] = typer.Option(
                  None, "--memory-limit", help="Megabytes a job may allocate (local workers)."),
              retry_failed: bool = typer.Option(False, "--retry-failed", help="Rerun failures."),
              tune: Optional[int] = typer.Option(
                  None, "--tune", help="Tune each method's hyperparameters with up to N "
                  "candidates per job on a validation split of the training data."),
              quiet: bool = typer.Option(False, "--quiet", help="No progress bar, table or warnings.")
              ) -> None:
    """Run a benchmark suite (resumable: finished jobs are skipped) and print the leaderboard.

    Exits 1 if every job run now failed, 2 on a usage error, 128 + the signal
    number when stopped by Ctrl-C, SIGTERM or SIGHUP.
    """
    from .bench import Terminated, run

    try:
        summary = run(suite=suite, store=store, jobs=jobs, scheduler=scheduler,
                      dask_local=dask_local, connect_timeout=connect_timeout, shard=shard,
                      systems=system or None, methods=method or None, retry_failed=retry_failed,
                      timeout=timeout, memory_limit=memory_limit, tune=tune, progress=not quiet,
                      console=err_console)
    except LindyError as err:
        _fail(err)
    except KeyboardInterrupt as err:
        how = "stopped by " + err.args[0] if isinstance(err, Terminated) else "interrupted"
        err_console.print(f"[yellow]{how}[/]: finished jobs are saved; run again to resume.")
        raise typer.Exit(code=128 + getattr(err, "signum", 2)) from None
    if not quiet:
        print_leaderboard(store, suite)
        if summary.warned:
            err_console.print(f"{summary.warned} job(s) raised warnings; they are kept with "
                              "each record (Record.warnings).")
    console.print(f"{summary.total} jobs: {summary.skipped} already done, {summary.ok} ok, "
                  f"{summary.failed} failed -> {store}")
    if summary.failed and not summary.ok:
        err_console.print("[bold red]error:[/] every job failed; see the errors with "
                          f"`lindy bench report --store {store}`.")
        raise typer.Exit(code=1)


@bench_app.command("report")
def bench_report(store: Path = typer.Option(Path("results.sqlite"), help="SQLite results file."),
                 out: Path = typer.Option(Path("report"), help="Output folder.")) -> None:
    """Write a static HTML report (leaderboards, per-system plots, failures, versions)."""
    from .bench import write_report

    try:
        index = write_report(store, out)
    except LindyError as err:
        _fail(err)
    console.print(f"wrote {index}")


@bench_app.command("merge")
def bench_merge(stores: list[Path] = typer.Argument(..., help="Stores to merge."),
                out: Path = typer.Option(..., "--out", help="Merged store.")) -> None:
    """Merge shard stores into one."""
    from .bench import merge_stores

    try:
        n = merge_stores(stores, out)
    except LindyError as err:
        _fail(err)
    console.print(f"merged {n} records from {len(stores)} store(s) into {out}")


@bench_app.command("export")
def bench_export(store: Path = typer.Option(Path("results.sqlite"), help="SQLite results file."),
                 out: Path = typer.Option(..., "--out", help="results.csv or results.parquet.")
                 ) -> None:
    """Export the results to CSV or Parquet (one row per job; Parquet needs pyarrow)."""
    from .bench import export

    try:
        n = export(store, out)
    except LindyError as err:
        _fail(err)
    console.print(f"wrote {n} records to {out}")


@bench_app.command("methods")
def bench_methods() -> None:
    """List the registered benchmark methods (with the search spaces of --tune) and the suites."""
    from .bench import METHODS, SUITES
    from .bench._tuning import SEARCH_SPACES

    table = Table(title="methods")
    table.add_column("name")
    table.add_column("estimator")
    table.add_column("search space (--tune)")
    for name, target in sorted(METHODS.items()):
        space = SEARCH_SPACES.get(name, {})
        table.add_row(name, target, ", ".join(f"{k}: {v}" for k, v in space.items()))
    console.print(table)
    for name, spec in SUITES.items():
        console.print(f"[bold]{name}[/]: {len(spec['systems'])} systems x "
                      f"{len(spec['methods'])} methods x {len(spec['random_states'])} random states")


def main() -> None:
    """Entry point of the ``lindy`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
