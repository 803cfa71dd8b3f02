"""The core of the record: countries, topics, organisations, places, sources, dialogue rounds,
the citations of single values and the follow-up tracker's concerns.

`seminars` and `funding` build on these; nothing here imports them.
"""

from .citations import Citation, CitationBasis, citations_relation
from .concerns import OPEN_STATUSES, Concern, ConcernEntry, ConcernStatus, Voice
from .core import (
    Country,
    DialogueFormat,
    DialogueRound,
    DialogueSeries,
    EuAgreement,
    Modality,
    NumberBasis,
    Organisation,
    OrganisationKind,
    Place,
    PlaceKind,
    PublisherKind,
    Source,
    SourceKind,
    Topic,
    TradePreference,
)

__all__ = [
    "OPEN_STATUSES",
    "Citation",
    "CitationBasis",
    "Concern",
    "ConcernEntry",
    "ConcernStatus",
    "Country",
    "DialogueFormat",
    "DialogueRound",
    "DialogueSeries",
    "EuAgreement",
    "Modality",
    "NumberBasis",
    "Organisation",
    "OrganisationKind",
    "Place",
    "PlaceKind",
    "PublisherKind",
    "Source",
    "SourceKind",
    "Topic",
    "TradePreference",
    "Voice",
    "citations_relation",
]
