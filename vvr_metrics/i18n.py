"""Translations: every user-facing text in Finnish (default) and English."""

from __future__ import annotations

LANGS = ("fi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # Row errors
    "missing_value": ("Pakollinen tieto puuttuu", "Required value is missing"),
    "bad_date": ("Päivämäärä ei kelpaa: \"{value}\" (käytä muotoa 1.4.2011)",
                 "Not a valid date: \"{value}\" (use d.m.yyyy)"),
    "bad_month": ("Päivämäärä tai kuukausi ei kelpaa: \"{value}\" (käytä muotoa 1.4.2011 tai 4/2011)",
                  "Not a valid date or month: \"{value}\" (use d.m.yyyy or m/yyyy)"),
    "date_outside_period": ("Päivämäärä \"{value}\" on hankekauden {start}–{end} ulkopuolella",
                            "Date \"{value}\" is outside the project period {start}–{end}"),
    "date_in_future": ("Päivämäärä \"{value}\" on latauspäivän {today} jälkeen",
                       "Date \"{value}\" is after the upload day {today}"),
    "bad_municipality": ("Tuntematon kunta \"{value}\" (sallitut: {allowed})",
                         "Unknown municipality \"{value}\" (allowed: {allowed})"),
    "bad_gender": ("Tuntematon sukupuoli \"{value}\" (N = nainen, M = mies, tyhjä tai - = ei tiedossa)",
                   "Unknown gender \"{value}\" (N = woman, M = man, blank or - = unknown)"),
    "bad_yesno": ("Ei kyllä/ei-arvo: \"{value}\" (käytä K tai E)", "Not a yes/no value: \"{value}\" (use K or E)"),
    "bad_choice": ("Tuntematon arvo \"{value}\" (sallitut: {allowed})", "Unknown value \"{value}\" (allowed: {allowed})"),
    "bad_amount": ("Summa ei ole luku: \"{value}\"", "Amount is not a number: \"{value}\""),
    "bad_count": ("Ei kokonaisluku ≥ 0: \"{value}\"", "Not a whole number ≥ 0: \"{value}\""),
    "bad_number": ("Ei luku ≥ 0: \"{value}\"", "Not a number ≥ 0: \"{value}\""),
    "bad_business_id": ("Y-tunnus ei kelpaa: \"{value}\" (muoto 1234567-8, tarkistusmerkki oltava oikein)",
                        "Invalid business ID \"{value}\" (format 1234567-8 with a valid check digit)"),
    "bad_indicator": ("Tuntematon indikaattori \"{value}\"", "Unknown indicator \"{value}\""),
    "bad_year": ("Vuosi \"{value}\" ei ole hankekauden vuosi ({years})",
                 "Year \"{value}\" is not a year of the project period ({years})"),
    "women_over_total": ("Tavoite naiset ({value}) on suurempi kuin Tavoite ({total})",
                         "Target women ({value}) is greater than Target ({total})"),
    "duplicate_target": ("Sama tavoite on jo rivillä {other} (indikaattori, kunta ja vuosi)",
                         "The same target is already given on row {other} (indicator, municipality and year)"),
    "excel_error": ("Solussa on Excelin virhearvo {value}", "The cell holds the Excel error {value}"),
    "bad_text": ("Arvo ei kelpaa: \"{value}\"", "Invalid value: \"{value}\""),
    # Sheet-level problems
    "missing_columns": ("Pakolliset sarakkeet puuttuvat: {value}. Otsikkoriviä ei löytynyt.",
                        "Required columns are missing: {value}. No header row was found."),
    "duplicate_column": ("Sarake \"{value}\" on taulukossa kahdesti; vain ensimmäinen luetaan",
                         "Column \"{value}\" appears twice; only the first is read"),
    # Blocking problems (the whole file)
    "empty_file": ("Tiedosto on tyhjä", "The file is empty"),
    "too_large": ("Tiedosto on liian suuri ({value} Mt, enintään {limit} Mt)",
                  "The file is too large ({value} MB, at most {limit} MB)"),
    "not_a_workbook": ("Tiedosto ei ole Excel- tai ODS-työkirja (xlsx, xlsm, xls, ods). Onko se CSV-tiedosto?",
                       "The file is not an Excel or ODS workbook (xlsx, xlsm, xls, ods). Is it a CSV file?"),
    "corrupt": ("Tiedosto on vioittunut tai katkennut: {value}", "The file is damaged or truncated: {value}"),
    "encrypted": ("Työkirja on salasanasuojattu. Poista suojaus ja lataa uudelleen.",
                  "The workbook is password-protected. Remove the password and upload again."),
    "zip_bomb": ("Työkirja purkautuisi liian suureksi ({value} Mt, enintään {limit} Mt)",
                 "The workbook would expand too much ({value} MB, at most {limit} MB)"),
    "xml_entities": ("Työkirjassa on XML-entiteettimäärittelyjä, joita ei lueta turvallisuussyistä",
                     "The workbook contains XML entity declarations, which are not read for safety"),
    "too_many_rows": ("Taulukossa on liikaa rivejä ({value}, enintään {limit})",
                      "The sheet has too many rows ({value}, at most {limit})"),
    "unreadable": ("Työkirjaa ei voitu lukea: {value}", "The workbook could not be read: {value}"),
    "no_known_sheet": ("Työkirjassa ei ole yhtään tunnettua taulukkoa (esim. Kontaktit, Työpaikat). Taulukot: {value}",
                       "The workbook has no known sheet (e.g. Kontaktit/Contacts, Työpaikat/Jobs). Sheets: {value}"),
    "hetu_found": ("Solussa on henkilötunnus ({value}). Henkilötunnuksia ei saa tallentaa: poista ne ja lataa uudelleen. "
                   "Mitään ei tallennettu.",
                   "The cell holds a personal identity code ({value}). Identity codes must never be stored: remove them "
                   "and upload again. Nothing was stored."),
    "duplicate_source": ("Sama lähde \"{value}\" on annettu kahdesti samassa latauksessa",
                         "The same source \"{value}\" is given twice in one upload"),
    # Warnings
    "unknown_columns": ("Tuntemattomat sarakkeet jätetään pois: {value}", "Unknown columns are left out: {value}"),
    "ignored_sheet": ("Taulukko ohitetaan (ei seurantataulukko)", "Sheet ignored (not a tracking sheet)"),
    "overlap": ("{share} tämän lähteen riveistä on jo tallennettu lähteessä \"{value}\": samat tiedot voivat "
                "tulla lasketuksi kahdesti",
                "{share} of this source's rows are already stored under source \"{value}\": the same data may be "
                "counted twice"),
    "target_overridden": ("Tavoite ({value}) korvaa lähteen \"{other}\" aiemmin antaman tavoitteen",
                          "Target ({value}) replaces the one given earlier by source \"{other}\""),
    "no_rows": ("Taulukossa ei ole yhtään tietoriviä", "The sheet has no data rows"),
    # Locations
    "loc_row": ("rivi {row}", "row {row}"),
    "loc_column": ("sarake {column}", "column {column}"),
    "error_column": ("Virhe", "Error"),
    "whole_project": ("Koko hanke", "Whole project"),
}


def t(key: str, lang: str = "fi", **params: object) -> str:
    """The text ``key`` in ``lang`` with ``params`` filled in."""
    fi, en = TEXTS[key]
    text = en if lang == "en" else fi
    return text.format(**params) if params else text
