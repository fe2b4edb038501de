"""How entities add up across documents in ``copydesk report``: the most-mentioned
people and organisations, each counted once across articles by its linked name
key (the entity's merged mentions within an article, then the name rule across
articles; see the reports page)."""

from __future__ import annotations

from copydesk import Aggregation, RegisterAggregation, top_names_query

AGGREGATIONS = (
    Aggregation(
        "entities.people",
        top_names_query("entities", "PERSON", "mentions"),
        "The most-mentioned people: mentions and articles, one person across articles.",
        table=True,
        needs=("finding:entities.entity",),
    ),
    Aggregation(
        "entities.organisations",
        top_names_query("entities", "ORG", "mentions"),
        "The most-mentioned organisations.",
        table=True,
        needs=("finding:entities.entity",),
    ),
)


def register(register: RegisterAggregation) -> None:
    for aggregation in AGGREGATIONS:
        register(aggregation)
