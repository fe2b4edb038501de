"""The sourcing analyzer's contract: typed ``data`` of its findings, and its payload.

A consumer reads them typed instead of by dict key::

    from copydesk_sourcing import Attribution

    for finding, attribution in ctx.findings_with(Attribution):
        if attribution.source_type == "anonymous": ...

Optional fields are left out of the JSON when they do not apply (a relation
without an entity has no ``entity_id`` key), so they default to None here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from copydesk import Span

SourceType = Literal[
    "named_person", "anonymous", "organization", "media", "document", "unattributed"
]


Gender = Literal["female", "male", "unknown"]
Role = Literal["official", "spokesperson", "expert", "citizen", "media", "document", "unknown"]


class GenderEvidence(BaseModel):
    """One piece of text evidence of a source's gender ("Ms.", "spokeswoman", "she")."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["honorific", "role_noun", "pronoun", "first_name"]
    gender: Literal["female", "male"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Attribution(BaseModel):
    """The ``data`` of an ``attribution`` finding: who said what, through which cue."""

    model_config = ConfigDict(extra="forbid")

    source: Span | None = Field(description="Who is cited (None when nobody is named).")
    cue: Span = Field(description="The attributing verb or phrase: 'said', 'according to'.")
    content: Span | None = Field(description="What is attributed, first to last fragment.")
    content_fragments: list[Span] = Field(default_factory=list)
    quote_type: Literal["direct", "indirect", "mixed"]
    source_type: SourceType
    cue_kind: Literal["speech", "other"]
    cue_lemma: str | None = None
    rule: str = Field(description="Which rule found the relation (for explanations).")
    entity_id: str | None = Field(default=None, description="The entities analyzer's id.")
    source_name: str | None = None
    role_text: str | None = Field(
        default=None, description="The words of an apposition or title ('Secretary of State')."
    )
    source_id: str | None = Field(
        default=None, description="Links the attributions of one source in the document ('S1')."
    )
    gender: Gender | None = Field(
        default=None, description="female, male or unknown for a person; None for a non-person."
    )
    gender_evidence: list[GenderEvidence] = Field(default_factory=list)
    role: Role | None = Field(default=None, description="What the source speaks as.")
    role_evidence: Span | None = Field(default=None, description="The word that decided role.")
    relayed_by: Span | None = Field(
        default=None, description="The outlet that passes this attribution on ('as per X')."
    )
    resolved_to: str | None = Field(default=None, description="What a pronoun source refers to.")
    addressee: Span | None = None
    source_from_context: Span | None = Field(
        default=None, description="A source carried over from an earlier sentence."
    )


class CommentRequest(BaseModel):
    """The ``data`` of a ``comment_request`` finding ("declined to comment")."""

    model_config = ConfigDict(extra="forbid")

    party: Span | None = None
    outcome: str


class SourceRow(BaseModel):
    """One distinct source of the document."""

    model_config = ConfigDict(extra="forbid")

    source_id: str
    source: str | None
    source_type: SourceType
    entity_id: str | None = None
    gender: Gender | None = None
    role: Role | None = None
    attributions: int = Field(ge=0)
    first_start: int = Field(ge=0)


class SourcingPayload(BaseModel):
    """The sourcing payload: counts per source type and one row per distinct source."""

    model_config = ConfigDict(extra="forbid")

    source_types: dict[str, int]
    sources: list[SourceRow] = Field(default_factory=list)
