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
    err_console.print(f"[bold red]error:[/] {err}")
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


def print_leaderboard(store: Path, suite: Optional[str] = None) -> None:
    """Print the leaderboard of a store as rich tables (one per system)."""
    from .bench import Store, leaderboard
    from .bench._leaderboard import METRIC_COLUMNS

    with Store(store) as db:
        records = [r for r in db.results() if suite is None or r["suite"] == suite]
    for system, rows in leaderboard(records).items():
        unit = next((r["vpt_unit"] for r in rows if r["vpt_unit"]), "")
        table = Table(title=f"{system}  (VPT in {unit.replace('_', ' ') or 'time'})")
        table.add_column("method")
        for _, head, _ in METRIC_COLUMNS:
            table.add_column(head, justify="right")
        table.add_column("runs", justify="right")
        for row in rows:
            vals = [f"{row[m]:.4g}" if row[m] == row[m] else "–" for m, _, _ in METRIC_COLUMNS]
            runs = str(row["n_ok"]) + (f" (+{row['n_failed']} failed)" if row["n_failed"] else "")
            table.add_row(row["method"], *vals, runs)
        console.print(table)


@bench_app.command("run")
def bench_run(suite: str = typer.Option("quick", help="quick, standard or full."),
              store: Path = typer.Option(Path("results.sqlite"), help="SQLite results file."),
              jobs: int = typer.Option(2, help="Worker processes (1 = serial)."),
              scheduler: Optional[str] = typer.Option(
                  None, help="Dask scheduler address (tcp://host:8786) or 'local'."),
              shard: Optional[str] = typer.Option(None, help="Run shard i/N only (1-based)."),
              system: Optional[list[str]] = typer.Option(None, help="Restrict to systems."),
              method: Optional[list[str]] = typer.Option(None, help="Restrict to methods."),
              retry_failed: bool = typer.Option(False, "--retry-failed", help="Rerun failures."),
              quiet: bool = typer.Option(False, "--quiet", help="No progress bar or table.")) -> None:
    """Run a benchmark suite (resumable: finished jobs are skipped) and print the leaderboard."""
    from .bench import run

    try:
        summary = run(suite=suite, store=store, jobs=jobs, scheduler=scheduler, shard=shard,
                      systems=system or None, methods=method or None,
                      retry_failed=retry_failed, progress=not quiet, console=err_console)
    except LindyError as err:
        _fail(err)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]: finished jobs are saved; run again to resume.")
        raise typer.Exit(code=130) from None
    if not quiet:
        print_leaderboard(store, suite)
    console.print(f"{summary.total} jobs: {summary.skipped} already done, {summary.ok} ok, "
                  f"{summary.failed} failed -> {store}")


@bench_app.command("report")
def bench_report(store: Path = typer.Option(Path("results.sqlite"), help="SQLite results file."),
                 out: Path = typer.Option(Path("report"), help="Output folder.")) -> None:
    """Write a static HTML report (leaderboard and forecast plots)."""
    from .bench import write_report

    if not store.exists():
        _fail(FileNotFoundError(f"{store} does not exist; run `lindy bench run` first."))
    index = write_report(store, out)
    console.print(f"wrote {index}")


@bench_app.command("merge")
def bench_merge(stores: list[Path] = typer.Argument(..., help="Stores to merge."),
                out: Path = typer.Option(..., "--out", help="Merged store.")) -> None:
    """Merge shard stores into one."""
    from .bench import Store

    missing = [str(p) for p in stores if not p.exists()]
    if missing:
        _fail(FileNotFoundError(f"missing store(s): {', '.join(missing)}"))
    with Store(out) as db:
        n = db.merge_from(stores)
    console.print(f"merged {n} records from {len(stores)} store(s) into {out}")


@bench_app.command("methods")
def bench_methods() -> None:
    """List the registered benchmark methods and the suites."""
    from .bench import METHODS, SUITES

    table = Table(title="methods")
    table.add_column("name")
    table.add_column("estimator")
    for name, target in sorted(METHODS.items()):
        table.add_row(name, target)
    console.print(table)
    for name, spec in SUITES.items():
        console.print(f"[bold]{name}[/]: {len(spec['systems'])} systems x "
                      f"{len(spec['methods'])} methods x {len(spec['random_states'])} random states")


def main() -> None:
    """Entry point of the ``lindy`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
