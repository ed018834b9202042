"""Deterministic example data: tracking workbooks as the staff keep them, 4/2011–12/2014.

One workbook per municipality (title rows, totals rows, some text dates, local spelling
habits), one funding workbook and one targets workbook. Loaded together they reproduce every
realised figure of the project's final report (``shared/domain.md``).
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from pathlib import Path

from .exports import set_cell
from .validation import business_id_valid

SEED = 20141231
MUNICIPALITIES = ("Hartola", "Heinola", "Sysmä")
WEIGHTS = (1, 2, 1)  # Heinola is the largest of the three
FIXED_TIME = dt.datetime(2015, 1, 15, 9, 0)

# The realised figures of the final report.
FIGURES = {
    "yrityskontaktit": 1421,
    "tyonhakijakontaktit": 1753,
    "kumppanikontaktit": 1708,
    "palvellut_yritykset": 153,
    "uudet_tyopaikat": 72,
    "uudet_tyopaikat_naiset": 19,
    "uudet_yritykset": 20,
    "uudet_yritykset_naiset": 10,
    "tyosopimus_ilman_tukea": 72,
    "tuettu_tyollistaminen": 156,
    "koulutukseen": 25,
    "kesatyo": 203,
    "koulutukset": 9,
    "yrittajyyskoulutukset": 6,
    "uudet_hankkeet": 2,
    "eu_valtio_cents": 61_328_800,
    "julkinen_cents": 76_661_300,
}

TARGETS = [  # indicator, municipality, year, target, target women
    ("Uudet työpaikat", None, None, 60, 25),
    ("uudet_tyopaikat", None, 2011, 8, 3),
    ("uudet_tyopaikat", None, 2012, 18, 8),
    ("uudet_tyopaikat", None, 2013, 18, 7),
    ("uudet_tyopaikat", None, 2014, 16, 7),
    ("Uudet yritykset", None, None, 25, 7),
    ("uudet_yritykset", None, 2011, 3, 1),
    ("uudet_yritykset", None, 2012, 8, 2),
    ("uudet_yritykset", None, 2013, 7, 2),
    ("uudet_yritykset", None, 2014, 7, 2),
    ("Yrityskontaktit", None, None, 1400, None),
    ("Työnhakijakontaktit", None, None, 1300, None),
    ("Kumppanikontaktit", None, None, 1300, None),
    ("Palvellut yritykset", None, None, 150, None),
    ("Työllistetyt ja palveluihin sijoitetut", None, None, 270, None),
    ("Koulutukset", None, None, 6, None),
    ("Uudet hankkeet", None, None, 4, None),
    ("EU- ja valtion rahoitus", None, None, 620000, None),
    ("Julkinen rahoitus yhteensä", None, None, 775000, None),
]


def split(total: int, weights) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    weights = list(weights)
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _months(start=dt.date(2011, 4, 1), end=dt.date(2014, 12, 1)) -> list[dt.date]:
    months, day = [], start
    while day <= end:
        months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


MONTHS = _months()


def _month_weight(month: dt.date) -> float:
    w = 0.6 if month.year == 2011 else 1.0
    return w * {7: 0.3, 12: 0.7, 6: 0.8}.get(month.month, 1.0)


def _workday(rng: random.Random, month: dt.date) -> dt.date:
    while True:
        day = month.replace(day=rng.randint(1, 28))
        if day.weekday() < 5:
            return day


def _dates(rng: random.Random, n: int, months=MONTHS, weigh=_month_weight) -> list[dt.date]:
    chosen = rng.choices(months, [weigh(m) for m in months], k=n)
    return sorted(_workday(rng, m) for m in chosen)


def _business_id(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randint(1000000, 2999999)}"
        for check in range(10):
            if business_id_valid(digits, str(check)):
                return f"{digits}-{check}"


class _Style:
    """How one municipality's staff write their sheets."""

    def __init__(self, municipality: str):
        self.municipality = municipality
        self.women, self.men = {"Hartola": ("nainen", "mies"), "Heinola": ("N", "M"), "Sysmä": ("N", "M")}[municipality]
        self.yes, self.no = {"Hartola": ("K", "E"), "Heinola": ("x", ""), "Sysmä": ("kyllä", "ei")}[municipality]

    def date(self, rng: random.Random, day: dt.date):
        """Mostly real dates; some typed as text the way people type them."""
        r = rng.random()
        if r < 0.06:
            return f"{day.day}.{day.month}.{day.year}"
        if r < 0.08:
            return day.isoformat()
        return day

    def place(self, rng: random.Random) -> str:
        if self.municipality == "Sysmä" and rng.random() < 0.15:
            return "Sysma"
        return self.municipality

    def gender(self, g: str | None) -> str | None:
        return {"N": self.women, "M": self.men}.get(g or "", None)


def _sheet(wb, title: str, caption: str, header: list[str], rows: list[list], totals: str = "Yhteensä"):
    ws = wb.create_sheet(title)
    set_cell(ws.cell(1, 1), caption)
    set_cell(ws.cell(2, 1), "Päivitetty 15.1.2015")
    for c, h in enumerate(header, start=1):
        set_cell(ws.cell(4, c), h)
    for r, row in enumerate(rows, start=5):
        for c, v in enumerate(row, start=1):
            if v is not None:
                set_cell(ws.cell(r, c), v)
    if totals and rows:
        last = 4 + len(rows)
        set_cell(ws.cell(last + 2, 1), totals)
        ws.cell(last + 2, 2).value = len(rows)  # staff type the count; the row is never a record
    ws.column_dimensions["A"].width = 12
    return ws


def _municipality_workbook(rng: random.Random, idx: int, shares: dict) -> object:
    from openpyxl import Workbook

    m = MUNICIPALITIES[idx]
    style = _Style(m)
    wb = Workbook()
    wb.remove(wb.active)
    ohjeet = wb.create_sheet("Ohjeet")
    set_cell(ohjeet.cell(1, 1), f"Verkostosta Voimaa – seurantatiedot, {m}. Täytä yksi rivi jokaisesta tapaamisesta.")

    # Kontaktit
    n_emp, n_seek, n_part = (
        shares["yrityskontaktit"][idx],
        shares["tyonhakijakontaktit"][idx],
        shares["kumppanikontaktit"][idx],
    )
    companies = [f"{m[:3].upper()}-Y{k:03d}" for k in range(1, shares["palvellut_yritykset"][idx] + 1)]
    company_of = companies + [rng.choice(companies) for _ in range(n_emp - len(companies))]
    rng.shuffle(company_of)
    seekers = [f"{m[:3].upper()}-A{k:04d}" for k in range(1, n_seek // 2 + 2)]
    contacts = []
    for day, client in zip(_dates(rng, n_emp), company_of):
        contacts.append((day, "Yritys", None, client))
    for day in _dates(rng, n_seek):
        g = rng.choices(["N", "M", None], [46, 50, 4])[0]
        contacts.append((day, "Työnhakija", g, rng.choice(seekers)))
    for day in _dates(rng, n_part):
        contacts.append((day, "Yhteistyökumppani", None, None))
    contacts.sort(key=lambda c: c[0])
    type_words = {
        "Hartola": {"Yritys": "Yritys", "Työnhakija": "Työnhakija", "Yhteistyökumppani": "Yhteistyökumppani"},
        "Heinola": {"Yritys": "työnantaja", "Työnhakija": "työnhakija", "Yhteistyökumppani": "kumppani"},
        "Sysmä": {"Yritys": "Yritys", "Työnhakija": "Työnhakija", "Yhteistyökumppani": "Kumppani"},
    }[m]
    rows = []
    for day, kind, g, client in contacts:
        note = rng.choice(
            [None, None, None, "Liikkuva klinikka", "puhelinsoiton jälkeen tapaaminen", "rekrytointitarve"]
        )
        rows.append([style.date(rng, day), style.place(rng), type_words[kind], style.gender(g), client, note])
    _sheet(
        wb,
        "Kontaktit",
        f"Kontaktit 2011–2014, {m}",
        ["Pvm", "Kunta", "Kontaktityyppi", "Sukupuoli", "Asiakastunnus", "Lisätiedot"],
        rows,
    )

    # Työpaikat: new jobs plus a few that are not new (replacements), which the indicator leaves out
    jobs = [(d, "N") for d in _dates(rng, shares["jobs_women"][idx])]
    jobs += [(d, "M") for d in _dates(rng, shares["jobs_men"][idx])]
    rows = [
        [
            style.date(rng, d),
            style.place(rng),
            style.gender(g),
            style.yes,
            style.yes if rng.random() < 0.3 else style.no,
            f"Työnantaja {rng.randint(1, 60)} Oy",
            None,
        ]
        for d, g in sorted(jobs)
    ]
    # blank means "yes" in Uusi työpaikka, so a job that is not new is always marked explicitly
    rows += [
        [d, m, style.gender("M"), style.no or "ei", style.no, "Sijaisuus Oy", "ei uusi työpaikka"]
        for d in _dates(rng, 2 + idx)
    ]
    _sheet(
        wb,
        "Työpaikat",
        f"Uudet työpaikat, {m}",
        ["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka", "Tuettu", "Työnantaja", "Lisätiedot"],
        rows,
    )

    # Yritykset
    founders = ["N"] * shares["companies_women"][idx] + ["M"] * (
        shares["uudet_yritykset"][idx] - shares["companies_women"][idx]
    )
    industries = ["Matkailu", "Rakentaminen", "Hyvinvointipalvelut", "Kauppa", "Metsätalous", "Käsityö"]
    rows = [
        [
            style.date(rng, d),
            style.place(rng),
            style.gender(g),
            _business_id(rng),
            rng.choice(industries),
            f"{m} {rng.choice(['Palvelu', 'Puu', 'Hoiva', 'Matkailu'])} {k + 1}",
        ]
        for k, (d, g) in enumerate(zip(_dates(rng, len(founders)), rng.sample(founders, len(founders))))
    ]
    _sheet(
        wb,
        "Yritykset",
        f"Uudet yritykset, {m}",
        ["Perustamispvm", "Kunta", "Perustajan sukupuoli", "Y-tunnus", "Toimiala", "Yritys"],
        rows,
    )

    # Työllistäminen (column order differs from the template, as staff files do)
    placements = []
    for measure, key in (
        ("Työsopimus ilman tukea", "tyosopimus_ilman_tukea"),
        ("Tuettu työllistäminen", "tuettu_tyollistaminen"),
        ("Koulutus", "koulutukseen"),
    ):
        placements += [(d, measure) for d in _dates(rng, shares[key][idx])]
    if m == "Heinola":  # the summer-job voucher ran in Heinola in 2013–2014
        summer = [mo for mo in MONTHS if mo.year >= 2013 and mo.month in (5, 6, 7, 8)]
        placements += [(d, "Kesätyö") for d in _dates(rng, FIGURES["kesatyo"], summer, lambda mo: 1.0)]
    rows = [
        [client, style.date(rng, d), measure, style.gender(rng.choice(["N", "M"])), style.place(rng)]
        for k, (d, measure) in enumerate(sorted(placements))
        for client in [f"{m[:3].upper()}-T{k:04d}"]
    ]
    _sheet(
        wb,
        "Työllistäminen",
        f"Työllistyneet ja palveluihin ohjatut, {m}",
        ["Asiakastunnus", "Pvm", "Toimenpide", "Sukupuoli", "Kunta"],
        rows,
    )

    # Koulutukset
    trainings = shares["trainings"][idx]
    rows = [[d, name, m if name else m, style.yes if ent else style.no, w, mn] for d, name, ent, w, mn in trainings]
    _sheet(
        wb,
        "Koulutukset",
        f"Koulutukset, {m}",
        ["Alkupvm", "Koulutus", "Kunta", "Yrittäjyys", "Osallistujat naiset", "Osallistujat miehet"],
        rows,
    )

    # Hankkeet
    rows = [[d, name, m] for d, name in shares["projects"][idx]]
    _sheet(wb, "Hankkeet", f"Uudet hankkeet, {m}", ["Pvm", "Hanke", "Kunta"], rows, totals="")
    return wb


def _funding_workbook(rng: random.Random):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    eu = split(FIGURES["eu_valtio_cents"], [_month_weight(mo) * (1 + 0.3 * rng.random()) for mo in MONTHS])
    municipal_total = 12_000_000
    other_public = FIGURES["julkinen_cents"] - FIGURES["eu_valtio_cents"] - municipal_total
    rows = []
    for mo, cents in zip(MONTHS, eu):
        month_text = f"{mo.month}/{mo.year}"
        amount = cents / 100
        rows.append([month_text, "EU ja valtio", amount if rng.random() < 0.8 else _euro_text(cents), None])
    for mi, share in zip(MUNICIPALITIES, split(municipal_total, WEIGHTS)):
        quarters = [mo for mo in MONTHS if mo.month in (3, 6, 9, 12)]
        for mo, cents in zip(quarters, split(share, [1] * len(quarters))):
            rows.append([dt.date(mo.year, mo.month, 28), "Kunta", cents / 100, mi])
    for mo, cents in zip([mo for mo in MONTHS if mo.month == 12], split(other_public, [1, 2, 2, 2])):
        rows.append([f"{mo.year}-12", "Muu julkinen", _euro_text(cents), None])
    for mo in MONTHS[::6]:
        rows.append([mo, "Yksityinen", 1500.0, None])
    _sheet(
        wb,
        "Rahoitus",
        "Toteutunut rahoitus kuukausittain (maksatushakemusten mukaan)",
        ["Pvm", "Lähde", "Summa", "Kunta"],
        rows,
    )
    return wb


def _euro_text(cents: int) -> str:
    euros, c = divmod(cents, 100)
    return f"{euros:,}".replace(",", " ") + f",{c:02d} €"


def _targets_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "Tavoitteet",
        "Hankesuunnitelman tavoitteet (rahoituspäätös)",
        ["Indikaattori", "Kunta", "Vuosi", "Tavoite", "Tavoite naiset"],
        [list(t) for t in TARGETS],
        totals="",
    )
    return wb


def _shares(rng: random.Random) -> dict:
    f = FIGURES
    shares = {
        k: split(f[k], WEIGHTS)
        for k in (
            "yrityskontaktit",
            "tyonhakijakontaktit",
            "kumppanikontaktit",
            "palvellut_yritykset",
            "uudet_yritykset",
            "tyosopimus_ilman_tukea",
            "tuettu_tyollistaminen",
            "koulutukseen",
        )
    }
    shares["jobs_women"] = split(f["uudet_tyopaikat_naiset"], WEIGHTS)
    shares["jobs_men"] = split(f["uudet_tyopaikat"] - f["uudet_tyopaikat_naiset"], WEIGHTS)
    shares["companies_women"] = split(f["uudet_yritykset_naiset"], WEIGHTS)
    d = dt.date
    shares["trainings"] = [
        [
            (d(2011, 10, 4), "Yrittäjäksi maaseudulle -ilta", True, 9, 7),
            (d(2012, 9, 18), "Työnhaun valmennus", False, 8, 6),
            (d(2013, 3, 12), "Sukupolvenvaihdos yrityksessä", True, 6, 11),
        ],
        [
            (d(2012, 2, 7), "Yrittäjävalmennus (2 iltaa)", True, 34, 31),
            (d(2013, 10, 1), "Yrittäjävalmennus (5 iltaa)", True, 38, 31),
            (d(2012, 11, 6), "Hoiva-alan rekrytointikoulutus", False, 14, 2),
            (d(2014, 4, 8), "Verkkokauppa pienyrittäjälle", True, 10, 8),
        ],
        [
            (d(2013, 5, 14), "Matkailuyrittäjien tuotteistus", True, 7, 5),
            (d(2014, 2, 11), "Metsäalan työllistämiskoulutus", False, 1, 12),
        ],
    ]
    shares["projects"] = [
        [],
        [(d(2013, 1, 15), "Heinolan seudun kesätyöpassi")],
        [(d(2014, 3, 3), "Sysmän kylien palveluyrittäjyys")],
    ]
    return shares


def build_sample() -> dict[str, object]:
    """File name -> openpyxl workbook, the same every time."""
    rng = random.Random(SEED)
    shares = _shares(rng)
    books = {}
    for idx, m in enumerate(MUNICIPALITIES):
        name = m.replace("ä", "a")
        books[f"{name}_seuranta_2011-2014.xlsx"] = _municipality_workbook(rng, idx, shares)
    books["Rahoitus_2011-2014.xlsx"] = _funding_workbook(rng)
    books["Tavoitteet.xlsx"] = _targets_workbook()
    for wb in books.values():
        wb.properties.created = wb.properties.modified = FIXED_TIME
        wb.properties.creator = "Verkostosta Voimaa"
    return books


def write_sample(out_dir: Path) -> list[Path]:
    """Write the example workbooks into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, wb in build_sample().items():
        path = out_dir / name
        wb.save(path)
        paths.append(path)
    return paths


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def sample_files() -> list[Path]:
    """The committed example workbooks."""
    return sorted(SAMPLE_DIR.glob("*.xlsx"))


def load_example_data(path=None) -> int:
    """Load the committed example workbooks into a store that has never had an upload.

    Returns the number of sources stored (0 when the store already has a history).
    """
    from . import store
    from .uploads import commit_uploads, prepare_upload

    if not store.history(path).empty:
        return 0
    plans = [prepare_upload(p.read_bytes(), p.name, path) for p in sample_files()]
    try:
        return len(commit_uploads(plans, path, actor=store.EXAMPLE_ACTOR))
    except store.StaleUpload:
        return 0  # another first visitor loaded them a moment earlier: they are there, once


class ExampleLoad(threading.Thread):
    """The example data going into a store that has never had an upload, beside the page runs."""

    def __init__(self, path) -> None:
        super().__init__(name="vvr-example-data", daemon=True)
        self.path = path
        self.failed = False

    def run(self) -> None:
        from .errors import log_unexpected

        try:
            load_example_data(self.path)
        except Exception:  # the store is busy or broken: the pages show it empty, the details go to the log
            self.failed = True
            log_unexpected("example data")


_loads: dict[str, ExampleLoad] = {}
_loads_lock = threading.Lock()


def example_data_loading(path=None) -> ExampleLoad | None:
    """The background load of the example data while a store that has never had an upload gets it, else None.

    One load per store and process, started on the first call; a failed one is not tried again. Loading took
    about a second after a start, and the first visitor's page waited for it with nothing on the screen."""
    from . import store

    if store.status(path).uploads:
        return None
    key = str(store.resolve_db(path).absolute())
    with _loads_lock:
        load = _loads.get(key)
        if load is None:
            load = _loads[key] = ExampleLoad(path)
            load.start()
    return load if load.is_alive() else None
