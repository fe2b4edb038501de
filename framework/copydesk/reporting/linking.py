"""One source is one source across articles: linking names by a normalized key.

The rule (documented on the reports page, measured by
``benchmarks/report_linking.py`` on GUM):

1. **Within an article** the entities analyzer has already merged the mentions
   of one entity ("Anouk de Vries", "De Vries", "Ms de Vries") under one
   ``entity_id``; the entity's name is its longest mention. An attribution
   carries the ``entity_id`` of its source when sourcing found one, else its
   source's name (``resolved_to`` for a pronoun, ``source_name``, the span).
2. **A name key**: accents stripped, lower case, a possessive ``'s`` dropped,
   punctuation and hyphens to spaces; for people, leading titles and honorifics
   ("Ms", "Dr", "President", "Sen.") dropped; for organisations a leading "the"
   and a trailing "Inc", "Ltd", "plc", "Corp" dropped.
3. **Across articles**, a person's key that is the end of exactly one longer key
   in the corpus ("de vries" of "anouk de vries") is linked to it; when it ends
   several ("smith" of "john smith" and "jane smith") it is left alone, and the
   longer ones stay apart.

Limits: two people with the same full name are one; a surname used alone in an
article that never gives the full name is linked only when the corpus has one
person of that surname; nicknames, transliterations, initials ("A. de Vries")
and acronyms ("EPA") are not linked; spelling variants are not either.
"""

from __future__ import annotations

from typing import Any

PERSON_TITLES = (
    "mr|mrs|ms|miss|mx|dr|doctor|prof|professor|sir|dame|lord|lady|madam|"
    "president|vice president|prime minister|minister|secretary|chancellor|"
    "senator|sen|representative|rep|congressman|congresswoman|governor|gov|mayor|"
    "judge|justice|attorney general|general|gen|lt|colonel|col|major|maj|captain|capt|"
    "sgt|sergeant|officer|detective|inspector|chief|commissioner|ambassador|"
    "father|fr|rev|reverend|rabbi|imam|bishop|pope|sheikh|king|queen|prince|princess|"
    "st|saint|coach|ceo|chairman|chairwoman|spokesman|spokeswoman|spokesperson"
)
ORG_SUFFIXES = "inc|incorporated|ltd|limited|plc|llc|corp|corporation|co|gmbh|ag|sa|nv|bv"

MACROS = (
    # accents off, lower case, possessive off, every run of non-letters/digits to one space
    "CREATE OR REPLACE MACRO cd_name_base(t) AS trim(regexp_replace(regexp_replace("
    "lower(strip_accents(coalesce(t, ''))), '[''\u2019]s\\b', '', 'g'), "
    "'[^\\pL\\pN]+', ' ', 'g'))",
    "CREATE OR REPLACE MACRO cd_name_key(t, lab) AS CASE WHEN lab = 'PERSON' THEN "
    f"trim(regexp_replace(cd_name_base(t), '^(({PERSON_TITLES}) )+', '')) ELSE "
    f"trim(regexp_replace(regexp_replace(cd_name_base(t), '^the ', ''), ' ({ORG_SUFFIXES})$', '')) "
    "END",
)


def install_macros(con: Any) -> None:
    for statement in MACROS:
        con.execute(statement)


def link_entities(con: Any, mentions: str, target: str, aggregates: str = "") -> None:
    """Link the mentions in table ``mentions`` across documents into table ``target``.

    ``mentions`` has ``doc_id``, ``entity_id`` (unique within a document; NULL
    for a name with no entity), ``label`` (``PERSON``/``ORG``) and ``text``.
    ``target`` gets one row per document entity: ``doc_id``, ``entity`` (its
    ``entity_id``, or ``#`` and the text for a name without one), ``label``,
    ``raw_key`` (the entity's key in its document), ``name_key`` (linked across
    documents), ``name`` (its longest mention) and ``aggregates`` (more SQL
    aggregates over the entity's mentions, e.g. ``", count(*) AS n"``). Keys are
    computed once per distinct name, and the mentions are read once.
    """
    install_macros(con)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_name_keys AS
        SELECT text, label, cd_name_key(text, label) AS mention_key
        FROM (SELECT DISTINCT text, label FROM {mentions})
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_entities AS
        SELECT doc_id, coalesce(entity_id, '#' || text) AS entity, label,
               arg_max(mention_key, length(mention_key)) AS raw_key,
               arg_max(text, length(mention_key)) AS name{aggregates}
        FROM {mentions} JOIN cd_name_keys USING (text, label)
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_links AS
        WITH k AS (
            SELECT DISTINCT label, raw_key, regexp_extract(raw_key, '(\\S+)$', 1) AS last
            FROM cd_entities WHERE raw_key <> '' AND label = 'PERSON'
        ),
        cand AS (
            SELECT a.label, a.raw_key AS short, b.raw_key AS long
            FROM k a JOIN k b ON a.label = b.label AND a.last = b.last
             AND length(b.raw_key) > length(a.raw_key) AND ends_with(b.raw_key, ' ' || a.raw_key)
        ),
        best AS (
            SELECT label, short, arg_max(long, length(long)) AS longest, list(long) AS longs
            FROM cand GROUP BY label, short
        )
        SELECT label, short, longest FROM best
        WHERE list_bool_and(
            list_transform(longs, lambda c: c = longest OR ends_with(longest, ' ' || c)))
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {target} AS
        SELECT e.*, coalesce(l.longest, e.raw_key) AS name_key
        FROM cd_entities e
        LEFT JOIN cd_links l ON l.label = e.label AND l.short = e.raw_key
        WHERE e.raw_key <> ''
        """
    )
    for table in ("cd_name_keys", "cd_entities", "cd_links"):
        con.execute(f"DROP TABLE {table}")


def build_linked_names(con: Any) -> None:
    """The ``raw_linked_names`` table: entity mentions and attributions, linked.

    One row per document and linked name: ``doc_id``, ``analyzer`` (``entities``
    for mentions, ``sourcing`` for attributions), ``label`` (``PERSON`` or
    ``ORG``), ``name_key``, ``name`` (display), ``role`` (one of the roles given, if any),
    ``n`` (mentions or attributions of that name in that document).
    """
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_mentions AS
        SELECT doc_id, 'entities' AS analyzer, data->>'$.entity_id' AS entity_id,
               label, text, NULL::VARCHAR AS role
        FROM raw_findings
        WHERE analyzer = 'entities' AND kind = 'entity' AND label IN ('PERSON', 'ORG')
        UNION ALL
        SELECT doc_id, 'sourcing', data->>'$.entity_id',
               CASE label WHEN 'named_person' THEN 'PERSON' ELSE 'ORG' END,
               coalesce(data->>'$.resolved_to', data->>'$.source_name',
                        data->'$.source'->>'$.text'),
               data->>'$.role'
        FROM raw_findings
        WHERE analyzer = 'sourcing' AND kind = 'attribution'
          AND label IN ('named_person', 'organization', 'media')
        """
    )
    # An attribution with an entity id shares that entity's mentions in its
    # article, so both count under the entity's name.
    link_entities(
        con,
        "cd_mentions",
        "cd_linked",
        ", count(*) FILTER (WHERE analyzer = 'entities') AS n_entities"
        ", count(*) FILTER (WHERE analyzer = 'sourcing') AS n_sourcing, max(role) AS role",
    )
    # The name shown for a key: its most frequent full form in the corpus (counted
    # per document entity), the longest on a tie.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_display AS
        SELECT name_key, label, arg_max(name, n * 1000 + length(name)) AS display
        FROM (SELECT name_key, label, name, count(*) AS n FROM cd_linked
              WHERE raw_key = name_key GROUP BY ALL)
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE raw_linked_names AS
        SELECT c.doc_id, c.analyzer, c.label, c.name_key,
               coalesce(d.display, c.name) AS name, c.role, c.n
        FROM (SELECT doc_id, analyzer, label, name_key, any_value(name) AS name,
                     max(role) AS role, sum(n)::BIGINT AS n
              FROM (SELECT doc_id, 'entities' AS analyzer, label, name_key, name,
                           NULL::VARCHAR AS role, n_entities AS n
                    FROM cd_linked WHERE n_entities > 0
                    UNION ALL
                    SELECT doc_id, 'sourcing', label, name_key, name, role, n_sourcing
                    FROM cd_linked WHERE n_sourcing > 0)
              GROUP BY doc_id, analyzer, label, name_key) c
        LEFT JOIN cd_display d USING (name_key, label)
        """
    )
    con.execute("DROP TABLE cd_mentions; DROP TABLE cd_linked; DROP TABLE cd_display")
