"""The tracking workbook format, version 1, declared as data.

Every sheet, column, alias and code list of ``spec/tracking-workbook.md`` lives here; the
reader, the validator, the template and the documentation all take it from this module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .settings import fold

FORMAT_VERSION = 1

# Kinds of cell value the validator knows how to parse.
DATE = "date"  # a day
MONTH_OR_DATE = "month_or_date"  # a day, or a month (m/yyyy, mm.yyyy, yyyy-mm)
MUNICIPALITY = "municipality"
GENDER = "gender"
YESNO = "yesno"
TEXT = "text"
CODE = "code"  # identifiers: numbers are kept as written ("081" stays "081")
CHOICE = "choice"  # one of a vocabulary
AMOUNT = "amount"  # euros, numbers or text such as "1 234,56 €"
COUNT = "count"  # integer >= 0
NUMBER = "number"  # number >= 0
BUSINESS_ID = "business_id"
INDICATOR = "indicator"
YEAR = "year"


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values, each with its accepted spellings."""

    name: str
    values: tuple[tuple[str, str, tuple[str, ...]], ...]  # (canonical, English, aliases)

    def lookup(self, text: str) -> str | None:
        return self._index.get(fold(text))

    @functools.cached_property
    def _index(self) -> dict[str, str]:
        return {
            fold(spelling): canonical
            for canonical, english, aliases in self.values
            for spelling in (canonical, english, *aliases)
        }

    @property
    def canonical(self) -> tuple[str, ...]:
        return tuple(v[0] for v in self.values)


CONTACT_TYPES = Vocabulary(
    "contact_type",
    (
        ("Yritys", "Employer", ("työnantaja", "yritys/työnantaja", "employer", "company")),
        ("Työnhakija", "Job seeker", ("job seeker", "jobseeker", "työnhakijat")),
        ("Yhteistyökumppani", "Partner", ("kumppani", "partner")),
    ),
)
MEASURES = Vocabulary(
    "measure",
    (
        ("Työsopimus ilman tukea", "Unsubsidised contract", ("unsubsidised contract", "unsubsidized contract")),
        ("Tuettu työllistäminen", "Subsidised employment", ("subsidised employment", "subsidized employment")),
        ("Koulutus", "Training", ("labour-market training", "apprenticeship", "oppisopimus", "työvoimakoulutus")),
        ("Kesätyö", "Summer job", ("summer job", "kesätyöpassi")),
        ("Muu palvelu", "Other service", ("other service",)),
    ),
)
FUNDING_SOURCES = Vocabulary(
    "funding_source",
    (
        (
            "EU ja valtio",
            "EU and state",
            ("eu- ja valtio", "eu ja valtion rahoitus", "eu and state funding", "eu+valtio"),
        ),
        ("Kunta", "Municipal", ("kunnat", "kunnan rahoitus", "municipality", "municipal funding")),
        ("Muu julkinen", "Other public", ("muu julkinen rahoitus", "other public funding")),
        ("Yksityinen", "Private", ("yksityinen rahoitus", "private funding")),
    ),
)
GENDERS = Vocabulary(
    "gender",
    (
        ("N", "Woman", ("nainen", "naiset", "f", "female", "w", "woman", "women")),
        ("M", "Man", ("mies", "miehet", "male", "man", "men")),
    ),
)
UNKNOWN_GENDER = ("", "-", "–")
YES = ("k", "kyllä", "x", "1", "yes", "y", "true")
NO = ("e", "ei", "0", "no", "n", "false", "")

VOCABULARIES = {v.name: v for v in (CONTACT_TYPES, MEASURES, FUNDING_SOURCES, GENDERS)}

# First non-empty cell of a totals row.
TOTALS_LABELS = ("yhteensä", "yht.", "yht", "total", "totals", "summa")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills, its headers and how its cells parse."""

    field: str
    header_fi: str
    header_en: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    vocabulary: str | None = None
    default: object = None  # value of a blank yes/no cell
    meaning_fi: str = ""

    def matches(self, header: str) -> bool:
        key = fold(header).rstrip(":*").strip()
        return key in {fold(self.header_fi), fold(self.header_en), *(fold(a) for a in self.aliases)}


@dataclass(frozen=True)
class Sheet:
    """One record type: its sheet names, its store table and its columns."""

    table: str
    name_fi: str
    name_en: str
    columns: tuple[Column, ...]
    description_fi: str = ""
    aliases: tuple[str, ...] = ()

    def matches(self, sheet_name: str) -> bool:
        key = fold(sheet_name)
        return key in {fold(self.name_fi), fold(self.name_en), *(fold(a) for a in self.aliases)}

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


_DATE = Column("day", "Pvm", "Date", DATE, True, ("päivämäärä", "päivä"), meaning_fi="päivämäärä")
_MUNI_REQ = Column("municipality", "Kunta", "Municipality", MUNICIPALITY, True, meaning_fi="kunta")
_MUNI_OPT = Column("municipality", "Kunta", "Municipality", MUNICIPALITY, meaning_fi="kunta (tyhjä = koko hanke)")
_GENDER = Column("gender", "Sukupuoli", "Gender", GENDER, meaning_fi="N = nainen, M = mies, tyhjä = ei tiedossa")
_CLIENT = Column("client_id", "Asiakastunnus", "Client ID", CODE, meaning_fi="asiakkaan pseudonyymi tunnus")
_NOTES = Column("notes", "Lisätiedot", "Notes", TEXT, aliases=("huomautukset", "kommentit"), meaning_fi="vapaa teksti")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "targets",
        "Tavoitteet",
        "Targets",
        (
            Column(
                "indicator", "Indikaattori", "Indicator", INDICATOR, True, meaning_fi="indikaattorin koodi tai nimi"
            ),
            Column("municipality", "Kunta", "Municipality", MUNICIPALITY, meaning_fi="tyhjä = koko hanke"),
            Column("year", "Vuosi", "Year", YEAR, meaning_fi="tyhjä = koko hankekausi"),
            Column("target", "Tavoite", "Target", NUMBER, True, meaning_fi="suunniteltu arvo, ≥ 0"),
            Column("target_women", "Tavoite naiset", "Target women", NUMBER, meaning_fi="josta naiset, ≤ Tavoite"),
        ),
        "Suunnitellut tavoitteet indikaattoreittain",
    ),
    Sheet(
        "contacts",
        "Kontaktit",
        "Contacts",
        (
            _DATE,
            _MUNI_REQ,
            Column(
                "contact_type",
                "Kontaktityyppi",
                "Contact type",
                CHOICE,
                True,
                ("tyyppi",),
                vocabulary="contact_type",
                meaning_fi="Yritys, Työnhakija tai Yhteistyökumppani",
            ),
            _GENDER,
            _CLIENT,
            _NOTES,
        ),
        "Henkilökohtaiset tapaamiset työnantajien, työnhakijoiden ja kumppanien kanssa",
    ),
    Sheet(
        "jobs",
        "Työpaikat",
        "Jobs",
        (
            _DATE,
            _MUNI_REQ,
            _GENDER,
            Column("new_job", "Uusi työpaikka", "New job", YESNO, default=True, meaning_fi="K/E, tyhjä = kyllä"),
            Column("subsidised", "Tuettu", "Subsidised", YESNO, default=False, meaning_fi="K/E, tyhjä = ei"),
            Column("employer", "Työnantaja", "Employer", TEXT, meaning_fi="työnantajan nimi"),
            _NOTES,
        ),
        "Hankkeen avulla syntyneet työpaikat",
    ),
    Sheet(
        "companies",
        "Yritykset",
        "Companies",
        (
            Column(
                "day",
                "Perustamispvm",
                "Founded",
                DATE,
                True,
                ("perustettu", "perustamispäivä"),
                meaning_fi="perustamispäivä",
            ),
            _MUNI_REQ,
            Column("gender", "Perustajan sukupuoli", "Founder gender", GENDER, meaning_fi="N = naisen perustama"),
            Column(
                "business_id",
                "Y-tunnus",
                "Business ID",
                BUSINESS_ID,
                aliases=("ytunnus",),
                meaning_fi="muotoa 1234567-8",
            ),
            Column("industry", "Toimiala", "Industry", TEXT, meaning_fi="toimiala"),
            Column("company", "Yritys", "Company", TEXT, aliases=("yrityksen nimi",), meaning_fi="yrityksen nimi"),
        ),
        "Hankkeen avulla perustetut uudet yritykset",
    ),
    Sheet(
        "placements",
        "Työllistäminen",
        "Placements",
        (
            _DATE,
            _MUNI_REQ,
            Column(
                "measure",
                "Toimenpide",
                "Measure",
                CHOICE,
                True,
                vocabulary="measure",
                meaning_fi="Työsopimus ilman tukea, Tuettu työllistäminen, Koulutus, Kesätyö tai Muu palvelu",
            ),
            _GENDER,
            _CLIENT,
        ),
        "Työllistyneet ja palveluihin sijoitetut työnhakijat",
    ),
    Sheet(
        "trainings",
        "Koulutukset",
        "Trainings",
        (
            Column("day", "Alkupvm", "Start date", DATE, True, ("alkamispvm", "aloituspvm"), meaning_fi="alkamispäivä"),
            Column(
                "training", "Koulutus", "Training", TEXT, True, ("koulutuksen nimi",), meaning_fi="koulutuksen nimi"
            ),
            _MUNI_OPT,
            Column("entrepreneurship", "Yrittäjyys", "Entrepreneurship", YESNO, default=False, meaning_fi="K/E"),
            Column(
                "participants_women", "Osallistujat naiset", "Participants women", COUNT, meaning_fi="kokonaisluku ≥ 0"
            ),
            Column("participants_men", "Osallistujat miehet", "Participants men", COUNT, meaning_fi="kokonaisluku ≥ 0"),
        ),
        "Yhteistyössä kumppanien kanssa järjestetyt koulutukset",
    ),
    Sheet(
        "projects",
        "Hankkeet",
        "Projects",
        (
            Column(
                "day", "Pvm", "Date", DATE, True, ("aloituspvm", "päivämäärä"), meaning_fi="uuden hankkeen alkamispäivä"
            ),
            Column("project", "Hanke", "Project", TEXT, True, ("hankkeen nimi",), meaning_fi="hankkeen nimi"),
            _MUNI_OPT,
        ),
        "Kumppanien kanssa käynnistetyt uudet hankkeet",
    ),
    Sheet(
        "funding",
        "Rahoitus",
        "Funding",
        (
            Column(
                "day",
                "Pvm",
                "Date",
                MONTH_OR_DATE,
                True,
                ("kuukausi", "month", "päivämäärä"),
                meaning_fi="päivä tai kuukausi (esim. 3/2012)",
            ),
            Column(
                "source",
                "Lähde",
                "Source",
                CHOICE,
                True,
                ("rahoituslähde", "funding source"),
                vocabulary="funding_source",
                meaning_fi="EU ja valtio, Kunta, Muu julkinen tai Yksityinen",
            ),
            Column("amount", "Summa", "Amount", AMOUNT, True, ("euroa", "eur", "€"), meaning_fi="euroa"),
            _MUNI_OPT,
        ),
        "Toteutunut rahoitus lähteittäin",
    ),
)

SHEETS_BY_TABLE = {s.table: s for s in SHEETS}
RECORD_TABLES = tuple(s.table for s in SHEETS if s.table != "targets")


def sheet_for_name(sheet_name: str) -> Sheet | None:
    """The sheet type a workbook sheet's name stands for, or None (ignored sheet)."""
    return next((s for s in SHEETS if s.matches(sheet_name)), None)


def sheet_by_prefix(sheet_name: str) -> Sheet | None:
    """The sheet type whose name starts a longer name (``Kontaktit 2012``, ``Rahoitus_2013``), or None."""
    key = fold(sheet_name)
    for sheet in SHEETS:
        for name in (sheet.name_fi, sheet.name_en, *sheet.aliases):
            name = fold(name)
            if key.startswith(name) and len(key) > len(name) and not key[len(name)].isalpha():
                return sheet
    return None
