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

from copydesk.reporting.model import quote

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

    ``mentions`` has ``doc_id`` (any type), ``entity_id`` (unique within a
    document; NULL for a name with no entity), ``label`` (``PERSON``/``ORG``) and
    ``text``. ``target`` gets one row per document entity: ``doc_id``, ``entity``
    (its ``entity_id``, or ``#`` and the text for a name without one), ``label``,
    ``raw_key`` (the entity's key in its document), ``name_key`` (linked across
    documents), ``name`` (its longest mention) and ``aggregates`` (more SQL
    aggregates over the entity's mentions, e.g. ``", count(*) AS n"``).
    """
    aliases = _link(con, mentions, aggregates)
    extra = "".join(f", e.{quote(a)}" for a in aliases)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {target} AS
        SELECT e.doc_id, coalesce(i.entity_id, '#' || b.text) AS entity, b.label,
               b.mention_key AS raw_key, l.name_key, b.text AS name{extra}
        FROM cd_entities e
        JOIN cd_name_keys b ON b.name_no = e.best
        JOIN cd_name_links l ON l.name_no = e.best
        LEFT JOIN cd_entity_ids i ON i.entity_no = e.entity // 2
        """
    )
    _drop(con)


def _link(con: Any, mentions: str, aggregates: str) -> list[str]:
    """The linking itself, on integer numbers: its tables; returns the aggregates' names.

    * ``cd_name_keys``: one row per distinct (``text``, ``label``) of the
      mentions: ``name_no`` (an integer), ``mention_key``, ``key_len``;
    * ``cd_entity_ids``: ``entity_id`` and its number, ``entity_no``;
    * ``cd_entities``: one row per document entity: ``doc_id``, ``entity`` (an
      integer: ``entity_no`` is ``entity // 2`` when positive), ``best`` (the
      ``name_no`` of its mention with the longest key), then the aggregates;
    * ``cd_name_links``: per ``name_no`` whose key is not empty, ``name_key``
      (linked across documents) and ``key_no`` (an integer per label and name key).

    Grouping millions of mentions on integers instead of strings is what keeps
    a million-document report within its time (see the reports page).
    """
    install_macros(con)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_name_keys AS
        SELECT row_number() OVER () AS name_no, text, label, mention_key,
               length(mention_key) AS key_len
        FROM (SELECT text, label, cd_name_key(text, label) AS mention_key
              FROM (SELECT DISTINCT text, label FROM {mentions}))
        """
    )
    # A document entity is one integer within its document: twice the number of
    # its entity id (twice minus its name's number for a mention without one: an
    # entity of its own per document and text), plus one for a person. Grouping
    # millions of mentions by two integers instead of strings is what keeps this fast.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_entity_ids AS
        SELECT entity_id, (row_number() OVER ())::BIGINT AS entity_no
        FROM (SELECT DISTINCT entity_id FROM {mentions} WHERE entity_id IS NOT NULL)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_entities AS
        SELECT m.doc_id,
               2 * coalesce(i.entity_no, -k.name_no) + (m.label = 'PERSON')::BIGINT AS entity,
               arg_max(k.name_no, k.key_len) AS best{aggregates}
        FROM {mentions} m JOIN cd_name_keys k USING (text, label)
        LEFT JOIN cd_entity_ids i USING (entity_id)
        GROUP BY m.doc_id, entity
        """
    )
    described = con.execute("DESCRIBE cd_entities").fetchall()
    aliases = [row[0] for row in described[3:]]
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_links AS
        WITH k AS (
            SELECT DISTINCT label, mention_key AS raw_key,
                   regexp_extract(mention_key, '(\\S+)$', 1) AS last
            FROM cd_name_keys
            WHERE name_no IN (SELECT DISTINCT best FROM cd_entities)
              AND mention_key <> '' AND label = 'PERSON'
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
        """
        CREATE OR REPLACE TEMP TABLE cd_name_links AS
        SELECT name_no, name_key, dense_rank() OVER (ORDER BY label, name_key) AS key_no
        FROM (SELECT k.name_no, k.label, coalesce(l.longest, k.mention_key) AS name_key
              FROM cd_name_keys k
              LEFT JOIN cd_links l ON l.label = k.label AND l.short = k.mention_key
              WHERE k.mention_key <> '')
        """
    )
    return aliases


def _drop(con: Any) -> None:
    tables = ("cd_name_keys", "cd_entity_ids", "cd_entities", "cd_links", "cd_name_links")
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def build_linked_names(con: Any, doc_numbers: str) -> None:
    """The ``raw_linked_names`` table: entity mentions and attributions, linked.

    One row per document and linked name: ``doc_no`` (the document's number in
    table ``doc_numbers``, which maps ``doc_id`` to ``doc_no``), ``analyzer``
    (``entities`` for mentions, ``sourcing`` for attributions), ``label``
    (``PERSON`` or ``ORG``), ``name_key``, ``name`` (display), ``role`` (one of
    the roles given, if any), ``n`` (mentions or attributions of that name in
    that document). The findings' JSON is read once, here.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cd_mentions AS
        SELECT d.doc_no AS doc_id, f.analyzer = 'sourcing' AS is_source,
               f.entity_id, f.label, f.text, f.role
        FROM (SELECT doc_id, analyzer, data->>'$.entity_id' AS entity_id,
                     label, text, NULL::VARCHAR AS role
              FROM raw_findings
              WHERE analyzer = 'entities' AND kind = 'entity' AND label IN ('PERSON', 'ORG')
              UNION ALL
              SELECT doc_id, analyzer, data->>'$.entity_id',
                     CASE label WHEN 'named_person' THEN 'PERSON' ELSE 'ORG' END,
                     coalesce(data->>'$.resolved_to', data->>'$.source_name',
                              data->'$.source'->>'$.text'),
                     data->>'$.role'
              FROM raw_findings
              WHERE analyzer = 'sourcing' AND kind = 'attribution'
                AND label IN ('named_person', 'organization', 'media')) f
        JOIN {doc_numbers} d USING (doc_id)
        """
    )
    # An attribution with an entity id shares that entity's mentions in its
    # article, so both count under the entity's name.
    _link(
        con,
        "cd_mentions",
        ", count(*) FILTER (WHERE NOT is_source)::INTEGER AS n_entities"
        ", count(*) FILTER (WHERE is_source)::INTEGER AS n_sourcing, max(role) AS role",
    )
    # The name shown for a key: its most frequent full form in the corpus (counted
    # per document entity whose own key is the linked key), the longest on a tie.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_display AS
        SELECT l.key_no, arg_max(k.text, c.n * 1000 + length(k.text)) AS display
        FROM (SELECT best, count(*) AS n FROM cd_entities GROUP BY best) c
        JOIN cd_name_keys k ON k.name_no = c.best
        JOIN cd_name_links l ON l.name_no = c.best
        WHERE k.mention_key = l.name_key
        GROUP BY l.key_no
        """
    )
    # Labels, name keys and names as ENUMs (sorted, so ORDER BY name is unchanged),
    # cast once per name key: the top-name tables group millions of rows by them,
    # as integers. A key's display name is always there (its longest form is some
    # entity's own key); any of its names stands in otherwise.
    con.execute("CREATE TYPE cd_label AS ENUM ('ORG', 'PERSON')")
    con.execute(
        "CREATE TYPE cd_name_key AS ENUM "
        "(SELECT DISTINCT name_key FROM cd_name_links WHERE name_key IS NOT NULL ORDER BY 1)"
    )
    con.execute(
        "CREATE TYPE cd_name AS ENUM "
        "(SELECT DISTINCT text FROM cd_name_keys WHERE text IS NOT NULL ORDER BY 1)"
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cd_key_names AS
        SELECT l.key_no, any_value(k.label)::cd_label AS label,
               any_value(l.name_key)::cd_name_key AS name_key,
               coalesce(any_value(d.display), min(k.text))::cd_name AS name
        FROM cd_name_links l JOIN cd_name_keys k USING (name_no)
        LEFT JOIN cd_display d USING (key_no)
        GROUP BY l.key_no
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE raw_linked_names AS
        SELECT c.doc_no, c.analyzer, k.label, k.name_key, k.name, c.role, c.n
        FROM (SELECT e.doc_id AS doc_no, 'entities' AS analyzer, l.key_no,
                     NULL::VARCHAR AS role, sum(e.n_entities)::BIGINT AS n
              FROM cd_entities e JOIN cd_name_links l ON l.name_no = e.best
              WHERE e.n_entities > 0 GROUP BY e.doc_id, l.key_no
              UNION ALL
              SELECT e.doc_id, 'sourcing', l.key_no, max(e.role), sum(e.n_sourcing)::BIGINT
              FROM cd_entities e JOIN cd_name_links l ON l.name_no = e.best
              WHERE e.n_sourcing > 0 GROUP BY e.doc_id, l.key_no) c
        JOIN cd_key_names k USING (key_no)
        """
    )
    _drop(con)
    con.execute("DROP TABLE cd_mentions; DROP TABLE cd_display; DROP TABLE cd_key_names")
