"""Which records a figure counts: one frozen object, built by the pages, the CLI and the report alike.

The store's SQL reads it through one macro (``in_view`` in ``store.SCHEMA``), so the filter is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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


def view_link(
    settings: ProjectSettings, period: Sequence[dt.date], municipalities: Sequence[str]
) -> dict[str, list[str]]:
    """The view's part of a page address (``?municipality=Hartola&since=2012-01-01&until=2013-06-30``): what a
    link needs to open the same figures. The project's ends and every municipality are left out."""
    first, last = period
    out = {"municipality": [m for m in municipalities if m in settings.municipalities]}
    if first > settings.start:
        out["since"] = [first.isoformat()]
    if last < settings.end:
        out["until"] = [last.isoformat()]
    return {k: v for k, v in out.items() if v}


def view_of_link(
    params: Mapping[str, Sequence[str]], settings: ProjectSettings
) -> tuple[tuple[dt.date, dt.date], tuple[str, ...]] | None:
    """The period and municipalities a page address names (None: it names none). Whatever the address says is
    checked: an unknown municipality or a date that is no date is left out, dates are kept inside the project."""
    if not any(k in params for k in ("municipality", "since", "until")):
        return None

    def day(key: str, default: dt.date) -> dt.date:
        try:
            value = dt.date.fromisoformat(str(list(params.get(key, ()))[0]))
        except (IndexError, ValueError):
            return default
        return min(max(value, settings.start), settings.end)

    first, last = day("since", settings.start), day("until", settings.end)
    if first > last:
        first, last = settings.start, settings.end
    named = {settings.municipality(m) for m in params.get("municipality", ())} - {None}
    return (first, last), tuple(m for m in settings.municipalities if m in named)
