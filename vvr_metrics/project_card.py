"""A public ESF project card ("Euroopan sosiaalirahaston (ESR) rahoittaman projektin kuvaus", the funder's
register) read into what a project declares: identity, area, the standard indicators planned against realised,
and the public funding. The first step of setting a new project up from its card.

The card is text with numbered sections and ``Key: value`` lines. Spacing varies (doubled spaces, spaces around
the colon, thousands with spaces or none), and a card may lack a section: what is missing is None, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Planned:
    """One standard indicator of the card: planned and realised, each with the women's share."""

    planned: int | None
    planned_women: int | None
    realised: int | None
    realised_women: int | None


@dataclass(frozen=True)
class ProjectCard:
    code: str | None
    name: str | None
    programme_section: str | None  # "Osio"
    priority_axis: str | None  # "Toimintalinja"
    start: dt.date | None
    end: dt.date | None
    status: str | None
    authority: str | None  # "Vastuuviranomainen", the ELY centre
    administrator: str | None  # "Toteuttajaorganisaation nimi"
    business_id: str | None  # "Y-tunnus"
    regions: tuple[str, ...]
    sub_regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    participants: Planned  # 3.4 aloittaneet henkilöt
    new_jobs: Planned  # 4.1
    new_companies: Planned  # 4.2
    degrees: Planned  # 4.3
    eu_state_granted: int | None
    eu_state_realised: int | None
    public_planned: int | None
    public_realised: int | None


class CardError(ValueError):
    """The text is not a project card: no code and no name could be read."""


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_DATE = r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})"
_NUMBER = r"(\d[\d \u00a0\u202f]*)"


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _field(text: str, key: str) -> str | None:
    """The value of the first ``key: value`` line (key matched whatever its spacing and case)."""
    pattern = r"^[ \t]*" + r"\s+".join(map(re.escape, key.split())) + r"[ \t]*:[ \t]*(.*?)[ \t]*$"
    m = re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    return _clean(m.group(1)) or None if m else None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", text)
    return int(digits) if digits.isdigit() else None


def _section(text: str, number: str) -> str:
    """The text of section ``number`` (e.g. "4.1") up to the next numbered heading; "" when missing."""
    m = re.search(rf"^[ \t]*{re.escape(number)}\.?[ \t]+\S.*$", text, re.MULTILINE)
    if not m:
        return ""
    rest = text[m.end() :]
    following = re.search(r"^[ \t]*\d+(\.\d+)*\.?[ \t]+[A-ZÅÄÖ]", rest, re.MULTILINE)
    return rest[: following.start()] if following else rest


def _planned(section: str) -> Planned:
    """``Suunniteltu: 60, joista naisten työpaikkoja 25`` and ``Toteutunut …: 72, joista … 19``."""

    def pair(label: str) -> tuple[int | None, int | None]:
        m = re.search(rf"^[ \t]*{label}[^:\n]*:[ \t]*{_NUMBER}(?:,[^\d\n]*{_NUMBER})?", section, re.MULTILINE | re.I)
        return (_int(m.group(1)), _int(m.group(2))) if m else (None, None)

    planned, planned_women = pair("Suunniteltu")
    realised, realised_women = pair("Toteutunut")
    return Planned(planned, planned_women, realised, realised_women)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in re.split(r"[,;]", value or "") if n.strip())


def _period(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    days = re.findall(_DATE, value or "")
    dates = [dt.date(int(y), int(m), int(d)) for d, m, y in days]
    return (dates[0] if dates else None, dates[1] if len(dates) > 1 else None)


def read_card(text: str) -> ProjectCard:
    """The card's declarations. Raises CardError when the text has neither a project code nor a name."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    code, name = _field(text, "Projektikoodi"), _field(text, "Projektin nimi")
    if not code and not name:
        raise CardError("no Projektikoodi and no Projektin nimi: not an ESF project card")
    start, end = _period(_field(text, "Suunnitelman mukainen toteutusaika"))
    return ProjectCard(
        code=code,
        name=name,
        programme_section=_field(text, "Osio"),
        priority_axis=_field(text, "Toimintalinja"),
        start=start,
        end=end,
        status=_field(text, "Toiminnan tila"),
        authority=_field(text, "Vastuuviranomainen"),
        administrator=_field(text, "Toteuttajaorganisaation nimi"),
        business_id=_field(text, "Y-tunnus"),
        regions=_names(_field(text, "Maakunnat")),
        sub_regions=_names(_field(text, "Seutukunnat")),
        municipalities=_names(_field(text, "Kunnat")),
        participants=_planned(_section(text, "3.4")),
        new_jobs=_planned(_section(text, "4.1")),
        new_companies=_planned(_section(text, "4.2")),
        degrees=_planned(_section(text, "4.3")),
        eu_state_granted=_int(_field(text, "Myönnetty EU- ja valtion rahoitus")),
        eu_state_realised=_int(_field(text, "Toteutunut EU- ja valtion rahoitus")),
        public_planned=_int(_field(text, "Suunniteltu julkinen rahoitus yhteensä")),
        public_realised=_int(_field(text, "Toteutunut julkinen rahoitus yhteensä")),
    )
