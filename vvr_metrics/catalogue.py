"""The indicator catalogue, declared once as data.

Adding an indicator means adding one ``Indicator`` entry to ``CATALOGUE``: the store derives
its facts from the entry and every table, chart and export picks it up from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import fold

COUNT = "count"  # one per record
SUM = "sum"  # sum of one or more numeric fields
DISTINCT = "distinct"  # distinct non-empty values of a field, within each group

EUR = "eur"
PCS = "pcs"


@dataclass(frozen=True)
class Indicator:
    """One indicator: where its records come from, what it measures and how it splits by gender."""

    code: str
    name_fi: str
    name_en: str
    table: str
    measure: str = COUNT
    measure_fields: tuple[str, ...] = ()
    filter_field: str | None = None
    filter_values: tuple[object, ...] = ()
    # Gender rule: None (no split), "gender" (field value N/M), or ("field_women", "field_men").
    gender: str | tuple[str, str] | None = None
    unit: str = PCS
    key: bool = False  # shown as a metric card / in the final-report table
    women_phrase_fi: str = "joista naisia"
    women_phrase_en: str = "of which women"
    genitive_fi: str = ""  # "Uusien työpaikkojen" (kertyminen): Finnish titles need the genitive

    def name(self, lang: str = "fi") -> str:
        from .i18n import localized

        return localized(self.name_fi, self.name_en, lang)

    def genitive(self, lang: str = "fi") -> str:
        """The name as the owner of what follows: "Uusien työpaikkojen" in Finnish, the name itself in English."""
        from .i18n import localized

        return localized(self.genitive_fi or self.name_fi, self.name_en, lang)

    def women_phrase(self, lang: str = "fi") -> str:
        """ "joista naisia" and its kin, as the final report says it."""
        from .i18n import localized

        return localized(self.women_phrase_fi, self.women_phrase_en, lang)

    @property
    def has_gender(self) -> bool:
        return self.gender is not None


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "uudet_tyopaikat",
        "Uudet työpaikat",
        "New jobs",
        "jobs",
        filter_field="new_job",
        filter_values=(True,),
        gender="gender",
        key=True,
        women_phrase_fi="joista naisten työpaikkoja",
        women_phrase_en="of which jobs for women",
        genitive_fi="Uusien työpaikkojen",
    ),
    Indicator(
        "uudet_yritykset",
        "Uudet yritykset",
        "New companies",
        "companies",
        gender="gender",
        key=True,
        women_phrase_fi="joista naisten perustamia",
        women_phrase_en="of which founded by women",
        genitive_fi="Uusien yritysten",
    ),
    Indicator(
        "yrityskontaktit",
        "Yrityskontaktit",
        "Employer contacts",
        "contacts",
        filter_field="contact_type",
        filter_values=("Yritys",),
        key=True,
        genitive_fi="Yrityskontaktien",
    ),
    Indicator(
        "tyonhakijakontaktit",
        "Työnhakijakontaktit",
        "Job-seeker contacts",
        "contacts",
        filter_field="contact_type",
        filter_values=("Työnhakija",),
        gender="gender",
        key=True,
        genitive_fi="Työnhakijakontaktien",
    ),
    Indicator(
        "kumppanikontaktit",
        "Kumppanikontaktit",
        "Partner contacts",
        "contacts",
        filter_field="contact_type",
        filter_values=("Yhteistyökumppani",),
        key=True,
        genitive_fi="Kumppanikontaktien",
    ),
    Indicator(
        "palvellut_yritykset",
        "Palvellut yritykset",
        "Companies served",
        "contacts",
        measure=DISTINCT,
        measure_fields=("client_id",),
        filter_field="contact_type",
        filter_values=("Yritys",),
        genitive_fi="Palveltujen yritysten",
    ),
    Indicator(
        "tyollistetyt",
        "Työllistetyt ja palveluihin sijoitetut",
        "Employed or placed in services",
        "placements",
        filter_field="measure",
        filter_values=("Työsopimus ilman tukea", "Tuettu työllistäminen", "Koulutus", "Muu palvelu"),
        gender="gender",
        key=True,
        genitive_fi="Työllistettyjen ja palveluihin sijoitettujen",
    ),
    Indicator(
        "kesatyopaikat",
        "Kesätyöpaikat",
        "Summer jobs",
        "placements",
        filter_field="measure",
        filter_values=("Kesätyö",),
        gender="gender",
        genitive_fi="Kesätyöpaikkojen",
    ),
    Indicator("koulutukset", "Koulutukset", "Trainings", "trainings"),
    Indicator(
        "koulutuksiin_osallistuneet",
        "Koulutuksiin osallistuneet",
        "Training participants",
        "trainings",
        measure=SUM,
        measure_fields=("participants_women", "participants_men"),
        gender=("participants_women", "participants_men"),
        genitive_fi="Koulutuksiin osallistuneiden",
    ),
    Indicator("uudet_hankkeet", "Uudet hankkeet", "New projects", "projects"),
    Indicator(
        "rahoitus_eu_valtio",
        "EU- ja valtion rahoitus",
        "EU and state funding",
        "funding",
        measure=SUM,
        measure_fields=("amount",),
        filter_field="source",
        filter_values=("EU ja valtio",),
        unit=EUR,
        key=True,
        genitive_fi="EU- ja valtion rahoituksen",
    ),
    Indicator(
        "julkinen_rahoitus",
        "Julkinen rahoitus yhteensä",
        "Public funding in total",
        "funding",
        measure=SUM,
        measure_fields=("amount",),
        filter_field="source",
        filter_values=("EU ja valtio", "Kunta", "Muu julkinen"),
        unit=EUR,
        key=True,
        genitive_fi="Julkisen rahoituksen",
    ),
)

BY_CODE = {i.code: i for i in CATALOGUE}


def find_indicator(text: str) -> Indicator | None:
    """The indicator named by its code, Finnish name or English name (case/accent-insensitive)."""
    key = fold(text)
    for ind in CATALOGUE:
        if key in {fold(ind.code), fold(ind.name_fi), fold(ind.name_en)}:
            return ind
    return None


def fingerprint() -> str:
    """A stamp of the catalogue; the store rebuilds its derived facts when it changes."""
    import hashlib

    # what derives facts only: a new name, phrase or genitive rebuilds nothing
    words = {"name_fi", "name_en", "women_phrase_fi", "women_phrase_en", "genitive_fi", "key"}
    rules = [{k: v for k, v in vars(i).items() if k not in words} for i in CATALOGUE]
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]
