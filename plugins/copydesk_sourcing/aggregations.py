"""How sourcing adds up across documents in ``copydesk report``.

Shares are pooled over the group's attributions (not averaged per document);
the anonymous share carries a 95 % Wilson interval, which treats attributions
as independent (attributions of one article are not, so read it as a lower
bound on the uncertainty). People and organisations are counted once across
articles by their linked name key (see the reports page).
"""

from __future__ import annotations

from copydesk import Aggregation, Chart, RegisterAggregation, top_names_query

ATTRIBUTION = "finding:sourcing.attribution"
_ATTR = "FROM findings WHERE analyzer = 'sourcing' AND kind = 'attribution'"


def _typed(source_type: str) -> str:
    """Attributions of one type in a document, from its share metric (4 decimals, exact)."""
    return f'round(coalesce("sourcing.share_{source_type}", 0) * "sourcing.attributions")'


AGGREGATIONS = (
    Aggregation(
        "sourcing.attributions",
        'sum("sourcing.attributions")::BIGINT',
        "Attributions (who said what) in the group.",
        needs=("sourcing.attributions",),
    ),
    Aggregation(
        "sourcing.attributions_per_1000_words",
        '1000.0 * sum("sourcing.attributions") / nullif(sum(words), 0)',
        "Attributions per 1,000 words of the group's text.",
        needs=("sourcing.attributions",),
        plot=True,
    ),
    Aggregation(
        "sourcing.anonymous_share",
        f'sum({_typed("anonymous")}) / nullif(sum("sourcing.attributions"), 0)',
        "Share of the group's attributions to an anonymous source.",
        needs=("sourcing.attributions",),
        plot=True,
    ),
    Aggregation(
        "sourcing.anonymous_share_low",
        f'cd_wilson_low(sum({_typed("anonymous")}), sum("sourcing.attributions"))',
        "Lower end of the anonymous share's 95 % Wilson interval.",
        needs=("sourcing.attributions",),
    ),
    Aggregation(
        "sourcing.anonymous_share_high",
        f'cd_wilson_high(sum({_typed("anonymous")}), sum("sourcing.attributions"))',
        "Upper end of the anonymous share's 95 % Wilson interval.",
        needs=("sourcing.attributions",),
    ),
    Aggregation(
        "sourcing.named_to_anonymous",
        f"sum({_typed('named_person')}) / nullif(sum({_typed('anonymous')}), 0)",
        "Attributions to named people per attribution to an anonymous source.",
        needs=("sourcing.attributions",),
    ),
    Aggregation(
        "sourcing.direct_quote_share",
        'sum("sourcing.direct_quotes") / nullif(sum("sourcing.attributions"), 0)',
        "Share of attributions that are direct quotations.",
        needs=("sourcing.attributions", "sourcing.direct_quotes"),
    ),
    Aggregation(
        "sourcing.source_types",
        f"""SELECT {{keys}}, label AS source_type, count(*) AS attributions,
                   count(*) / sum(count(*)) OVER (PARTITION BY {{keys}}) AS share,
                   count(DISTINCT doc_id) AS documents
            {_ATTR} GROUP BY {{keys}}, label ORDER BY {{order}}, attributions DESC, source_type""",
        "Attributions by source type: named person, anonymous, organization, media, "
        "document, unattributed.",
        table=True,
        needs=(ATTRIBUTION,),
        chart=Chart("stacked", x="group", y="share", color="source_type", title="Source types"),
    ),
    Aggregation(
        "sourcing.distinct_sources",
        """SELECT {keys}, count(DISTINCT name_key) FILTER (WHERE label = 'PERSON') AS people,
                  count(DISTINCT name_key) FILTER (WHERE label = 'ORG') AS organisations
           FROM linked_names WHERE analyzer = 'sourcing' GROUP BY {keys} ORDER BY {order}""",
        "Distinct named sources (people; organisations and media), linked across articles.",
        table=True,
        needs=(ATTRIBUTION,),
    ),
    Aggregation(
        "sourcing.quoted_people",
        top_names_query("sourcing", "PERSON", "attributions", ", mode(role) AS role"),
        "The most-quoted people: attributions and articles, one person across articles.",
        table=True,
        needs=(ATTRIBUTION,),
    ),
    Aggregation(
        "sourcing.quoted_organisations",
        top_names_query("sourcing", "ORG", "attributions"),
        "The most-quoted organisations and media.",
        table=True,
        needs=(ATTRIBUTION,),
    ),
    Aggregation(
        "sourcing.comment_requests",
        """SELECT {keys}, label AS outcome, count(*) AS requests,
                  count(DISTINCT doc_id) AS documents
           FROM findings WHERE analyzer = 'sourcing' AND kind = 'comment_request'
           GROUP BY {keys}, label ORDER BY {order}, requests DESC, outcome""",
        "Requests for comment by outcome (declined, did not respond, could not be reached...).",
        table=True,
        needs=("finding:sourcing.comment_request",),
        chart=Chart(
            "stacked", x="group", y="requests", color="outcome", title="Requests for comment"
        ),
    ),
)


def register(register: RegisterAggregation) -> None:
    for aggregation in AGGREGATIONS:
        register(aggregation)
