"""The entities analyzer's contract: the typed payload other analyzers read.

These models used to live in the core (``copydesk.model``); the core now knows no
analyzer's types. A consumer (sourcing, a third-party plugin) imports them from
here and asks the context for them by model::

    from copydesk_entities import EntitiesPayload

    payload = ctx.payload(EntitiesPayload)      # during a run
    payload = result.payload(EntitiesPayload)   # on a saved or returned result
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EntityMention(BaseModel):
    """One mention of a merged entity."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    label: str = Field(description="The entity's label (after relabelling by the majority).")
    original_label: str | None = Field(
        default=None, description="spaCy's label when it was corrected, else None."
    )


class Entity(BaseModel):
    """An entity merged across its mentions ("Donald Trump" = "Trump" = "Mr Trump")."""

    model_config = ConfigDict(extra="forbid")

    entity_id: str = Field(description="Stable within the document, e.g. 'E3'.")
    name: str = Field(description="Canonical name: the longest full form seen.")
    label: str = Field(description="One label for all mentions: PERSON, ORG, GPE, ...")
    mentions: list[EntityMention] = Field(default_factory=list)
    mention_count: int = Field(ge=0)
    first_start: int = Field(ge=0, description="Offset of the first mention.")
    in_title: bool = False
    in_lead: bool = False
    salience: float = Field(ge=0.0, le=1.0, description="How central the entity is (0-1).")
    aliases: list[str] = Field(default_factory=list, description="Distinct surface forms.")


class EntitiesPayload(BaseModel):
    """The entities analyzer's payload: every merged entity, in order of first mention."""

    model_config = ConfigDict(extra="forbid")

    entities: list[Entity] = Field(default_factory=list)

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """Merged entities with a mention overlapping ``[start, end)``, best cover first.

        "Best" is the entity whose mention overlaps the span most, then the one
        that starts last (in "Secretary of State Marco Rubio" the person, not
        "State"), so a phrase is linked to the name at its end, where English
        puts the head of a noun phrase.
        """
        scored: list[tuple[int, int, Entity]] = []
        for entity in self.entities:
            best: tuple[int, int] | None = None
            for mention in entity.mentions:
                overlap = min(end, mention.end) - max(start, mention.start)
                if overlap > 0 and (best is None or (overlap, mention.start) > best):
                    best = (overlap, mention.start)
            if best is not None:
                scored.append((best[0], best[1], entity))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [entity for _, _, entity in scored]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The merged entity that best covers ``[start, end)`` (see :meth:`entities_in`)."""
        found = self.entities_in(start, end)
        return found[0] if found else None


class EntityFinding(BaseModel):
    """The ``data`` of an ``entity`` finding (one mention); absent keys mean no/none."""

    model_config = ConfigDict(extra="forbid")

    entity_id: str = Field(description="The merged entity this mention belongs to.")
    original_label: str | None = Field(default=None, description="spaCy's label, if corrected.")
    corrected: bool = False
    found_by_name: bool = Field(
        default=False, description="Found by matching a known name where spaCy was silent."
    )
    label_evidence: list[str] = Field(default_factory=list, description="Cues behind the label.")
