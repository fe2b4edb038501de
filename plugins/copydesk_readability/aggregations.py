"""How readability adds up across documents in ``copydesk report``.

Grades are summarised by the median and the interquartile range of the
articles' grades (not a grade of the pooled text), so one very long or very
hard article does not move a desk's number.
"""

from __future__ import annotations

from copydesk import Aggregation, Chart, RegisterAggregation
from copydesk_readability.formulas import FORMULAS

_GRADE = '"readability.consensus_grade"'
_PER_FORMULA = " UNION ALL ".join(
    f"SELECT {{keys}}, '{name}' AS formula, count(\"readability.{name}\") AS documents, "
    f'quantile_cont("readability.{name}", [0.25, 0.5, 0.75]) AS q '
    "FROM documents GROUP BY {keys}"
    for name in ("consensus_grade", *FORMULAS)
)

AGGREGATIONS = (
    Aggregation(
        "readability.consensus_grade_median",
        f"quantile_cont({_GRADE}, 0.5)",
        "Median over the group's articles of the consensus grade.",
        needs=("readability.consensus_grade",),
        plot=True,
    ),
    Aggregation(
        "readability.consensus_grade_iqr",
        f"quantile_cont({_GRADE}, 0.75) - quantile_cont({_GRADE}, 0.25)",
        "Interquartile range of the consensus grade (75th minus 25th percentile).",
        needs=("readability.consensus_grade",),
    ),
    Aggregation(
        "readability.formulas",
        # One grouped scan per formula column (UNION ALL), each with one list quantile:
        # an UNPIVOT with a quantile per statistic took 94 of 163 CPU seconds at 1M documents.
        f"""SELECT {{keys}}, formula, documents, q[1] AS p25, q[2] AS median, q[3] AS p75,
                   q[3] - q[1] AS iqr
            FROM ({_PER_FORMULA})
            ORDER BY {{order}}, formula""",
        "Median and interquartile range of the consensus grade and each formula.",
        table=True,
        needs=("readability.consensus_grade", *(f"readability.{f}" for f in FORMULAS)),
    ),
    Aggregation(
        "readability.grade_distribution",
        f"""SELECT {{keys}}, least(greatest(floor({_GRADE}), 0), 20)::INTEGER AS grade,
                   count(*) AS documents
            FROM documents WHERE {_GRADE} IS NOT NULL
            GROUP BY ALL ORDER BY {{order}}, grade""",
        "Articles by consensus grade (whole grades; 20 means 20 and above).",
        table=True,
        needs=("readability.consensus_grade",),
        chart=Chart("bar", x="grade", y="documents", color="group", title="Consensus grades"),
    ),
)


def register(register: RegisterAggregation) -> None:
    for aggregation in AGGREGATIONS:
        register(aggregation)
