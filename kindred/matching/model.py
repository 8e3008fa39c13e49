"""The plain data the matching engine works on: supporters, requests and proposals."""

from dataclasses import dataclass

URGENCIES = ("today", "this_week", "no_rush")


@dataclass(frozen=True, slots=True)
class Supporter:
    """A trained peer supporter as the engine sees them."""

    id: int
    user_id: int
    organisation_id: int
    topics: frozenset[str]
    languages: frozenset[str]
    stage: str = ""
    year_group: str = ""
    placement_group: str = ""
    identities: frozenset[str] = frozenset()
    gender: str = ""
    capacity: int = 3
    open_conversations: int = 0
    available: bool = True
    training_current: bool = True
    available_today: bool = True
    recent_load: float = 0.0
    recent_difficult: int = 0

    @property
    def free_slots(self) -> int:
        """How many more conversations this supporter can take now."""
        return max(0, self.capacity - self.open_conversations)


@dataclass(frozen=True, slots=True)
class Request:
    """A member's request for support, with their preferences and exclusions."""

    id: int
    member_id: int
    allowed_organisation_ids: frozenset[int]
    topics: frozenset[str] = frozenset()
    urgency: str = "this_week"
    languages: frozenset[str] = frozenset()
    preferred_stages: frozenset[str] = frozenset()
    preferred_identities: frozenset[str] = frozenset()
    preferred_gender: str = ""
    excluded_year_group: str = ""
    excluded_placement_group: str = ""
    excluded_supporter_ids: frozenset[int] = frozenset()
    conflict_user_ids: frozenset[int] = frozenset()
    difficult: bool = False
    anyone: bool = False
    waited_minutes: int = 0

    def __post_init__(self) -> None:
        # A typo in urgency would silently drop a "today" request's priority, so refuse it.
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {URGENCIES}, not {self.urgency!r}")


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed pairing of a request with a supporter, with plain reasons."""

    request_id: int
    supporter_id: int
    score: float
    reasons: tuple[str, ...]
