"""How hedging adds up across documents in ``copydesk report``.

Rates are pooled: a group's cues per 100 of its words (whitespace-separated
words of the text, the report's one word count), not a mean of per-article rates.
"""

from __future__ import annotations

from copydesk import Aggregation, Chart, RegisterAggregation

AGGREGATIONS = (
    Aggregation(
        "hedging.hedges_per_100_words",
        '100.0 * sum("hedging.hedges") / nullif(sum(words), 0)',
        "Hedges per 100 words of the group's text.",
        needs=("hedging.hedges",),
        plot=True,
    ),
    Aggregation(
        "hedging.boosters_per_100_words",
        '100.0 * sum("hedging.boosters") / nullif(sum(words), 0)',
        "Boosters (certainly, clearly...) per 100 words.",
        needs=("hedging.boosters",),
    ),
    Aggregation(
        "hedging.uncertain_sentence_share",
        'avg("hedging.uncertain_sentence_share")',
        "Mean over the group's articles of the share of sentences with a hedge.",
        needs=("hedging.uncertain_sentence_share",),
    ),
    Aggregation(
        "hedging.categories",
        """WITH w AS (SELECT {keys}, sum(words) AS words FROM documents GROUP BY {keys}),
                c AS (SELECT {keys}, kind, label AS category, count(*) AS cues,
                             count(DISTINCT doc_id) AS documents
                      FROM findings WHERE analyzer = 'hedging' AND kind IN ('hedge', 'booster')
                      GROUP BY {keys}, kind, label)
           SELECT {keys}, kind, category, cues, 100.0 * cues / nullif(w.words, 0)
                  AS per_100_words, documents
           FROM c JOIN w USING ({keys}) ORDER BY {order}, kind DESC, cues DESC, category""",
        "Hedges and boosters by category, per 100 words of the group's text.",
        table=True,
        needs=("finding:hedging.hedge",),
        chart=Chart(
            "stacked", x="group", y="per_100_words", color="category", title="Hedges by category"
        ),
    ),
)


def register(register: RegisterAggregation) -> None:
    for aggregation in AGGREGATIONS:
        register(aggregation)
