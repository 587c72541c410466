"""Export a results store to CSV or Parquet (one row per job, via pandas)."""

from __future__ import annotations

from pathlib import Path

from ..errors import MissingDependencyError, ValidationError
from ._store import Store

__all__ = ["export", "merge_stores"]

_FORMATS = (".csv", ".parquet")


def export(store: str | Path, out: str | Path) -> int:
    """Write the records of ``store`` to ``out`` (``.csv`` or ``.parquet``); return the row count.

    Columns are those of :meth:`Store.to_pandas`. Parquet needs pyarrow
    (``pip install 'lindy[bench]'``). Nothing is written if the store is unusable.

    Examples
    --------
    >>> import tempfile, os
    >>> from lindy.bench import Record
    >>> tmp = tempfile.mkdtemp()
    >>> with Store(os.path.join(tmp, "r.sqlite")) as db:
    ...     db.write(Record("k1", method="DMD", metrics={"smape": 2.0}))
    >>> export(os.path.join(tmp, "r.sqlite"), os.path.join(tmp, "r.csv"))
    1
    """
    out = Path(out)
    if out.suffix.lower() not in _FORMATS:
        raise ValidationError(f"The export file must end in .csv or .parquet; got {str(out)!r}.")
    if out.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise MissingDependencyError("pyarrow", "bench") from None
    with Store(store, readonly=True) as db:
        df = db.to_pandas()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            df.to_csv(out, index=False)
        else:
            df.to_parquet(out, index=False)
    except OSError as err:
        raise ValidationError(f"Cannot write {str(out)!r} ({err.strerror or err}); choose a "
                              "writable location.") from None
    return len(df)


def merge_stores(stores, out: str | Path) -> int:
    """Merge the records and arrays of ``stores`` into ``out``; return the record count.

    Every input is opened read-only and checked, and ``out`` is checked, before
    anything is written.

    Examples
    --------
    >>> import tempfile, os
    >>> from lindy.bench import Record
    >>> tmp = tempfile.mkdtemp()
    >>> for i in (1, 2):
    ...     with Store(os.path.join(tmp, f"p{i}.sqlite")) as db:
    ...         db.write(Record(f"k{i}"))
    >>> merge_stores([os.path.join(tmp, "p1.sqlite"), os.path.join(tmp, "p2.sqlite")],
    ...              os.path.join(tmp, "all.sqlite"))
    2
    """
    stores = [Path(s) for s in stores]
    if not stores:
        raise ValidationError("Give at least one store to merge.")
    if any(s.resolve() == Path(out).resolve() for s in stores if s.exists()):
        raise ValidationError(f"The output {str(out)!r} is also an input; choose a new file name.")
    for path in stores:  # check every input before creating the output
        Store(path, readonly=True).close()
    with Store(out) as db:
        return db.merge_from(stores)
