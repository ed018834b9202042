"""Which records a figure counts: one frozen object, built by the pages, the CLI and the report alike.

The store's SQL reads it through one macro (``in_view`` in ``store.SCHEMA``), so the filter is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .settings import ProjectSettings


@dataclass(frozen=True)
class Query:
    """The municipalities (none: every municipality and the whole-project records), the period start (None: the
    project start), the cut-off (None: every record) and whether the figures are the public, protected ones."""

    municipalities: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    public: bool = True  # the safe default: figures that leave the store are protected unless asked otherwise

    def __post_init__(self) -> None:
        object.__setattr__(self, "municipalities", tuple(self.municipalities or ()))

    @classmethod
    def chosen(
        cls,
        settings: ProjectSettings,
        period: Sequence[dt.date] | None = None,
        municipalities: Sequence[str] = (),
        public: bool = True,
    ) -> Query:
        """The view a person chose: a period at the project's ends is no filter. Public figures exist only between
        reporting cut-offs, so a public period starts after one and ends at one (at the project start if none)."""
        first, last = period or (settings.start, settings.end)
        if public:
            first = public_start(first, settings) or settings.start
            last = public_cutoff(last, settings) or settings.start
        return cls(
            tuple(municipalities),
            first if first > settings.start else None,
            last if last < settings.end else None,
            public,
        )

    def cutoff(self, settings: ProjectSettings) -> dt.date:
        """The one "tilanne" date of every figure, title and file of the view: the cut-off, else the project end.
        The newest record's date is shown beside it, never instead of it."""
        return min(self.until or settings.end, settings.end)

    def start(self, settings: ProjectSettings) -> dt.date:
        return max(self.since or settings.start, settings.start)

    @property
    def targets_until(self) -> int | None:
        """As the figures stood at the cut-off: the yearly targets of later years are left out."""
        return self.until.year if self.until else None

    @property
    def params(self) -> dict:
        """The ``$q`` parameter of the store's ``in_view`` macro."""
        return {"as_of": self.until, "since": self.since, "municipalities": list(self.municipalities) or None}

    def to_cutoff(self) -> Query:
        """Every record up to the cut-off, whatever the period start (forecasts, the target path)."""
        return replace(self, since=None)

    def filtered(self, settings: ProjectSettings) -> bool:
        """Whether the view is narrower than the whole project (a municipality or a later start)."""
        return bool(self.municipalities) or (self.since is not None and self.since > settings.start)


def public_cutoff(day: dt.date, settings: ProjectSettings) -> dt.date | None:
    """The reporting cut-off a viewer's figures stand at: the latest one on or before ``day`` (None: none yet)."""
    earlier = [c for c in settings.reporting_cutoffs if c <= day]
    return earlier[-1] if earlier else None


def public_start(day: dt.date, settings: ProjectSettings) -> dt.date | None:
    """A viewer's period start: the day after the latest reporting cut-off before ``day`` (None: the project
    start), so that a public window always runs between two public cut-offs."""
    before = [c for c in settings.reporting_cutoffs if c < day]
    return before[-1] + dt.timedelta(days=1) if before else None
