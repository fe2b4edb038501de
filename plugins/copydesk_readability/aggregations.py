"""How readability adds up across documents in ``copydesk report``.

Grades are summarised by the median and the interquartile range of the
articles' grades (not a grade of the pooled text), so one very long or very
hard article does not move a desk's number.
"""

from __future__ import annotations

from copydesk import Aggregation, Chart, RegisterAggregation
from copydesk_readability.formulas import FORMULAS

_GRADE = '"readability.consensus_grade"'
_FORMULA_COLUMNS = ", ".join(f'"readability.{f}"' for f in FORMULAS)

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
        f"""SELECT {{keys}}, replace(formula, 'readability.', '') AS formula,
                   count(score) AS documents, quantile_cont(score, 0.25) AS p25,
                   quantile_cont(score, 0.5) AS median, quantile_cont(score, 0.75) AS p75,
                   quantile_cont(score, 0.75) - quantile_cont(score, 0.25) AS iqr
            FROM (UNPIVOT (SELECT {{keys}}, {_GRADE}, {_FORMULA_COLUMNS} FROM documents)
                  ON {_GRADE}, {_FORMULA_COLUMNS} INTO NAME formula VALUE score)
            GROUP BY {{keys}}, formula ORDER BY {{order}}, formula""",
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
