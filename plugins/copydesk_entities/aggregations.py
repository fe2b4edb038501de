"""How entities add up across documents in ``copydesk report``: the most-mentioned
people and organisations, each counted once across articles by its linked name
key (the entity's merged mentions within an article, then the name rule across
articles; see the reports page)."""

from __future__ import annotations

from copydesk import Aggregation, RegisterAggregation

_TOP = """SELECT {{keys}}, any_value(name) AS name, sum(n) AS mentions, count(*) AS documents
           FROM linked_names WHERE analyzer = 'entities' AND label = '{label}'
           GROUP BY {{keys}}, name_key
           QUALIFY row_number() OVER (PARTITION BY {{keys}}
                                      ORDER BY sum(n) DESC, count(*) DESC, any_value(name))
                   <= {{top}}
           ORDER BY {{order}}, mentions DESC, documents DESC, name"""

AGGREGATIONS = (
    Aggregation(
        "entities.people",
        _TOP.format(label="PERSON"),
        "The most-mentioned people: mentions and articles, one person across articles.",
        table=True,
        needs=("finding:entities.entity",),
    ),
    Aggregation(
        "entities.organisations",
        _TOP.format(label="ORG"),
        "The most-mentioned organisations.",
        table=True,
        needs=("finding:entities.entity",),
    ),
)


def register(register: RegisterAggregation) -> None:
    for aggregation in AGGREGATIONS:
        register(aggregation)
