"""The report's public types: what a plugin registers and what a report returns.

Kept free of DuckDB so that a plugin's ``register_aggregations`` (and
``import copydesk``) costs nothing; the query engine loads only when a report
is computed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

ChartKind = Literal["bar", "line", "stacked"]


@dataclass(frozen=True)
class Chart:
    """How to draw a table: ``x`` and ``y`` are column names, ``color`` splits series.

    ``bar`` draws one bar per row, ``stacked`` stacks ``y`` by ``color`` per ``x``,
    ``line`` draws a time series (``x`` a period column: day, week or month).
    """

    kind: ChartKind
    x: str
    y: str
    color: str | None = None
    title: str = ""


@dataclass(frozen=True)
class Aggregation:
    """One number per group, or one table, contributed by a plugin.

    * A **column** (``table=False``): ``sql`` is an aggregate SQL expression over
      the ``documents`` view (one row per document and group), e.g.
      ``'1000.0 * sum("sourcing.attributions") / nullif(sum(words), 0)'``. It
      becomes the column ``name`` of the report's ``summary`` table.
    * A **table** (``table=True``): ``sql`` is a query whose ``{keys}`` placeholder
      is replaced by the group columns, e.g.
      ``SELECT {keys}, label, count(*) AS n FROM findings WHERE ... GROUP BY {keys}, label``.
      It becomes the table ``name``.

    The views an aggregation reads (DuckDB SQL): ``documents`` (group columns,
    ``doc_id``, ``meta`` JSON, ``words``, one DOUBLE column per metric named
    ``"<analyzer>.<metric>"``), ``findings`` (group columns, ``doc_id``,
    ``analyzer``, ``kind``, ``label``, ``text``, ``confidence``, ``data`` JSON) and
    ``linked_names`` (group columns, ``doc_id``, ``analyzer``, ``label``,
    ``name_key``, ``name``, ``role``, ``n``: one row per document and person or
    organisation, from the entity mentions (``analyzer = 'entities'``) or the
    attributions (``'sourcing'``), ``n`` of them, under the corpus-wide name key;
    see the reports page).

    ``plot`` (columns): draw the column per group in the HTML report, as a time
    series when a grouping is a period (day, week, month). ``chart`` (tables):
    how to draw the table. Group columns are NULL-free: a document without the
    field is in the group ``"(no <field>)"``; they, and ``linked_names``' ``label``,
    ``name_key`` and ``name``, are ENUMs (sorted; strings to compare and read,
    integers to group by). SQL helpers: ``cd_wilson_low(k, n)``
    and ``cd_wilson_high(k, n)`` (95 % Wilson interval of the share k/n); in a
    table query ``{order}`` orders by the group columns and ``{top}`` is the
    number of names to keep per group.

    ``needs`` names the metric columns (``"sourcing.attributions"``) or finding
    kinds (``"finding:sourcing.attribution"``) it reads: when one is absent from
    the results the aggregation is left out and the report says so, instead of
    failing on a corpus analyzed without that analyzer.
    """

    name: str
    sql: str
    description: str = ""
    needs: tuple[str, ...] = ()
    table: bool = False
    chart: Chart | None = None
    plot: bool = False


@dataclass
class ReportTable:
    """A result table: column names and rows (plain Python values, None for no value)."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    description: str = ""
    chart: Chart | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (dict(zip(self.columns, row, strict=True)) for row in self.rows)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries (JSON-ready)."""
        return [{k: _plain(v) for k, v in row.items()} for row in self]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (pandas is imported here, and only here)."""
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class Report:
    """What :func:`copydesk.report` returns: tables by name, the grouping, notes.

    ``tables["summary"]`` has one row per group; the others (``metrics``,
    ``sourcing.source_types``, ``entities.people``...) several rows per group.
    ``notes`` says what was left out and why (a metric no document has, documents
    without a date).
    """

    by: list[str]
    inputs: list[str]
    tables: dict[str, ReportTable] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    documents: int = 0
    descriptions: dict[str, str] = field(default_factory=dict)
    plots: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The group columns of every table (``corpus`` when not grouped)."""
        return list(self.by) or ["corpus"]

    def __getitem__(self, name: str) -> ReportTable:
        return self.tables[name]

    def group(self, table: str = "summary", **keys: Any) -> list[dict[str, Any]]:
        """Rows of ``table`` whose group columns equal ``keys`` (``outlet="Harbour Post"``)."""
        return [row for row in self.tables[table] if all(row.get(k) == v for k, v in keys.items())]

    def charts(self) -> dict[str, dict[str, Any]]:
        """The report's charts as Vega-Lite specs, by table or summary column name."""
        from copydesk.reporting.charts import column_spec, table_spec

        specs: dict[str, dict[str, Any]] = {}
        # a chart with too many groups to read is left out (charts.MAX_GROUPS, MAX_SERIES)
        for column in self.plots:
            spec = column_spec(self, column, self.keys)
            if spec is not None:
                specs[column] = spec
        for name, table in self.tables.items():
            spec = table_spec(table, self.keys)
            if spec is not None:
                specs[name] = spec
        return specs

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "inputs": self.inputs,
            "documents": self.documents,
            "notes": self.notes,
            "columns": self.descriptions,
            "charts": self.charts(),
            "tables": {
                name: {
                    "description": t.description,
                    "columns": t.columns,
                    "rows": t.records(),
                }
                for name, t in self.tables.items()
            },
        }


def keys_sql(keys: Sequence[str]) -> str:
    """The group columns as a quoted SQL list."""
    return ", ".join(quote(k) for k in keys)


def quote(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def top_names_query(analyzer: str, label: str, counted: str, extra: str = "") -> str:
    """SQL for an analyzer's most frequent linked names of one entity label, per group.

    Reads the report's ``linked_names`` view (one row per document and linked
    name, ``n`` occurrences), keeps ``{top}`` names per group, and counts each
    name once across articles. ``counted`` names the summed column
    (``mentions``, ``attributions``); ``extra`` adds select items, e.g.
    ``", mode(role) AS role"``. The ``{keys}``, ``{order}`` and ``{top}``
    placeholders are filled by the report engine, as in any aggregation.
    """
    return f"""SELECT {{keys}}, any_value(name) AS name, sum(n) AS {counted},
                  count(*) AS documents{extra}
           FROM linked_names WHERE analyzer = '{analyzer}' AND label = '{label}'
           GROUP BY {{keys}}, name_key
           QUALIFY row_number() OVER (PARTITION BY {{keys}}
                                      ORDER BY sum(n) DESC, count(*) DESC, any_value(name))
                   <= {{top}}
           ORDER BY {{order}}, {counted} DESC, documents DESC, name"""
