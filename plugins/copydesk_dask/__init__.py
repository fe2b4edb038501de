"""copydesk-dask: run a corpus on a Dask cluster (``--executor dask``).

Registered through ``register_executors`` like any third-party executor. This
module imports only copydesk: Dask is imported when a run starts, so a missing
``copydesk[dask]`` extra costs nothing until the executor is chosen, and then
fails with one line naming the extra.

* ``copydesk analyze corpus/ --executor dask -o results/`` starts a local
  cluster sized to the machine; ``--scheduler tcp://HOST:8786`` (or
  ``--executor-option scheduler_file=...``) joins a running one.
* With an output folder each worker writes its partitions' shards itself; with
  a file or standard output the results come back through the client in order.
* ``copydesk.dask.analyze(ddf_or_bag, ...)`` for Dask DataFrames and Bags.
"""

from __future__ import annotations

from typing import Any

from copydesk import CopydeskError, Executor, ExecutorType, RegisterExecutor, hookimpl

EXTRA_HINT = "pip install 'copydesk[dask]'"


class DaskMissingError(CopydeskError):
    """Dask (or distributed) is not installed."""


def require_dask() -> None:
    """Import dask and distributed, or fail with one line naming the extra."""
    try:
        import dask
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        missing = exc.name or "dask"
        msg = f"the dask executor needs {missing}, which is not installed: {EXTRA_HINT}"
        raise DaskMissingError(msg) from None


def make_executor(jobs: int | None = None, **options: Any) -> Executor:
    """The ``dask`` executor's factory: checks the extra, then builds the executor."""
    require_dask()
    from copydesk_dask.executor import DaskExecutor

    return DaskExecutor(jobs, **options)


@hookimpl
def register_executors(register: RegisterExecutor) -> None:
    register(
        ExecutorType(
            "dask",
            make_executor,
            "A Dask cluster: local (sized to the machine) or --scheduler ADDRESS; "
            "with -o FOLDER/ each worker writes its own shards",
        )
    )
