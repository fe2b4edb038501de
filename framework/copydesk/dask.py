"""copydesk on Dask collections: ``from copydesk.dask import analyze``.

Importing this module imports Dask and pandas (nothing else in copydesk does);
it needs the ``copydesk[dask]`` extra. ``analyze(ddf_or_bag, analyzers=...,
settings=...)`` returns lazy ``metrics`` and ``findings`` Dask DataFrames; see
:func:`copydesk_dask.frames.analyze` and docs/cluster.md.
"""

from __future__ import annotations

from copydesk_dask import require_dask

require_dask()

from copydesk_dask.frames import DaskResults, analyze  # noqa: E402

__all__ = ["DaskResults", "analyze"]
