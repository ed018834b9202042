"""Translations: every user-facing text in Finnish (default) and English.

``TEXTS`` are the engine's messages (problems found in uploads), ``UI`` the dashboard's labels.
"""

from __future__ import annotations

LANGS = ("fi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # Row errors
    "missing_value": ("Pakollinen tieto puuttuu", "Required value is missing"),
    "bad_date": (
        'Päivämäärä ei kelpaa: "{value}" (käytä muotoa 1.4.2011)',
        'Not a valid date: "{value}" (use d.m.yyyy)',
    ),
    "bad_month": (
        'Päivämäärä tai kuukausi ei kelpaa: "{value}" (käytä muotoa 1.4.2011 tai 4/2011)',
        'Not a valid date or month: "{value}" (use d.m.yyyy or m/yyyy)',
    ),
    "date_outside_period": (
        'Päivämäärä "{value}" on hankekauden {start}–{end} ulkopuolella',
        'Date "{value}" is outside the project period {start}–{end}',
    ),
    "date_in_future": (
        'Päivämäärä "{value}" on latauspäivän {today} jälkeen',
        'Date "{value}" is after the upload day {today}',
    ),
    "bad_municipality": (
        'Tuntematon kunta "{value}" (sallitut: {allowed})',
        'Unknown municipality "{value}" (allowed: {allowed})',
    ),
    "bad_gender": (
        'Tuntematon sukupuoli "{value}" (N = nainen, M = mies, tyhjä tai - = ei tiedossa)',
        'Unknown gender "{value}" (N = woman, M = man, blank or - = unknown)',
    ),
    "bad_yesno": ('Ei kyllä/ei-arvo: "{value}" (käytä K tai E)', 'Not a yes/no value: "{value}" (use K or E)'),
    "bad_choice": ('Tuntematon arvo "{value}" (sallitut: {allowed})', 'Unknown value "{value}" (allowed: {allowed})'),
    "bad_amount": ('Summa ei ole luku: "{value}"', 'Amount is not a number: "{value}"'),
    "bad_count": ('Ei kokonaisluku ≥ 0: "{value}"', 'Not a whole number ≥ 0: "{value}"'),
    "bad_number": ('Ei luku ≥ 0: "{value}"', 'Not a number ≥ 0: "{value}"'),
    "bad_business_id": (
        'Y-tunnus ei kelpaa: "{value}" (muoto 1234567-8, tarkistusmerkki oltava oikein)',
        'Invalid business ID "{value}" (format 1234567-8 with a valid check digit)',
    ),
    "bad_indicator": ('Tuntematon indikaattori "{value}"', 'Unknown indicator "{value}"'),
    "bad_year": (
        'Vuosi "{value}" ei ole hankekauden vuosi ({years})',
        'Year "{value}" is not a year of the project period ({years})',
    ),
    "women_over_total": (
        "Tavoite naiset ({value}) on suurempi kuin Tavoite ({total})",
        "Target women ({value}) is greater than Target ({total})",
    ),
    "duplicate_target": (
        "Sama tavoite on jo rivillä {other} (indikaattori, kunta ja vuosi)",
        "The same target is already given on row {other} (indicator, municipality and year)",
    ),
    "excel_error": ("Solussa on Excelin virhearvo {value}", "The cell holds the Excel error {value}"),
    "bad_text": ('Arvo ei kelpaa: "{value}"', 'Invalid value: "{value}"'),
    # Sheet-level problems
    "missing_columns": (
        "Pakolliset sarakkeet puuttuvat: {value}. Otsikkoriviä ei löytynyt.",
        "Required columns are missing: {value}. No header row was found.",
    ),
    "duplicate_column": (
        'Sarake "{value}" on taulukossa kahdesti; vain ensimmäinen luetaan',
        'Column "{value}" appears twice; only the first is read',
    ),
    # Blocking problems (the whole file)
    "empty_file": ("Tiedosto on tyhjä", "The file is empty"),
    "too_large": (
        "Tiedosto on liian suuri ({value} Mt, enintään {limit} Mt)",
        "The file is too large ({value} MB, at most {limit} MB)",
    ),
    "not_a_workbook": (
        "Tiedosto ei ole Excel- tai ODS-työkirja (xlsx, xlsm, xls, ods). Onko se CSV-tiedosto?",
        "The file is not an Excel or ODS workbook (xlsx, xlsm, xls, ods). Is it a CSV file?",
    ),
    "corrupt": ("Tiedosto on vioittunut tai katkennut: {value}", "The file is damaged or truncated: {value}"),
    "encrypted": (
        "Työkirja on salasanasuojattu. Poista suojaus ja lataa uudelleen.",
        "The workbook is password-protected. Remove the password and upload again.",
    ),
    "zip_bomb": (
        "Työkirja purkautuisi liian suureksi ({value} Mt, enintään {limit} Mt)",
        "The workbook would expand too much ({value} MB, at most {limit} MB)",
    ),
    "xml_entities": (
        "Työkirjassa on XML-entiteettimäärittelyjä, joita ei lueta turvallisuussyistä",
        "The workbook contains XML entity declarations, which are not read for safety",
    ),
    "too_many_rows": (
        "Taulukossa on liikaa rivejä ({value}, enintään {limit})",
        "The sheet has too many rows ({value}, at most {limit})",
    ),
    "too_slow": (
        "Työkirjan lukeminen kesti yli {seconds} s, joten se keskeytettiin",
        "Reading the workbook took over {seconds} s and was stopped",
    ),
    "out_of_memory": (
        "Työkirjan lukeminen vaatisi yli {limit} Mt muistia",
        "Reading the workbook would need over {limit} MB of memory",
    ),
    "reader_crashed": (
        "Työkirjan lukija kaatui tähän tiedostoon (koodi {value}). Tallenna tiedosto Excelissä uudelleen ja yritä uudestaan.",
        "The workbook reader crashed on this file (code {value}). Save the file again in Excel and retry.",
    ),
    "unreadable": (
        "Työkirjaa ei voitu lukea: tiedosto on vioittunut tai se ei ole Excel- tai ODS-työkirja (tekninen syy: "
        "{value}). Avaa ja tallenna se uudelleen Excelissä tai LibreOfficessa.",
        "The workbook could not be read: the file is damaged or is not an Excel or ODS workbook (technical "
        "reason: {value}). Open it and save it again in Excel or LibreOffice.",
    ),
    "no_known_sheet": (
        "Työkirjassa ei ole yhtään tunnettua taulukkoa (esim. Kontaktit, Työpaikat). Taulukot: {value}",
        "The workbook has no known sheet (e.g. Kontaktit/Contacts, Työpaikat/Jobs). Sheets: {value}",
    ),
    "hetu_found": (
        "Solussa on henkilötunnukselta näyttävä tunnus (syntymäaika {value}…). Henkilötunnuksia ei saa "
        "tallentaa: poista ne ja lataa uudelleen. Mitään ei tallennettu.",
        "The cell holds what looks like a henkilötunnus (personal identity code, birth date {value}…). "
        "Identity codes must never be stored: remove them and upload again. Nothing was stored.",
    ),
    "hetu_in_name": (
        "Tiedoston nimessä on henkilötunnukselta näyttävä tunnus (syntymäaika {value}…). Nimeä tiedosto "
        "uudelleen. Mitään ei tallennettu.",
        "The file name holds what looks like a henkilötunnus (birth date {value}…). Rename the file. "
        "Nothing was stored.",
    ),
    "hetu_in_source": (
        "Lähteen nimessä on henkilötunnukselta näyttävä tunnus (syntymäaika {value}…). Valitse toinen "
        "nimi. Mitään ei tallennettu.",
        "The source name holds what looks like a henkilötunnus (birth date {value}…). Choose another "
        "name. Nothing was stored.",
    ),
    "hetu_in_sheet_name": (
        "Taulukon nimessä on henkilötunnukselta näyttävä tunnus (syntymäaika {value}…). Nimeä "
        "taulukko uudelleen. Mitään ei tallennettu.",
        "A sheet name holds what looks like a henkilötunnus (birth date {value}…). Rename the "
        "sheet. Nothing was stored.",
    ),
    "hetu_in_comment": (
        "Solun kommentissa on henkilötunnukselta näyttävä tunnus (syntymäaika {value}…). Poista se. "
        "Mitään ei tallennettu.",
        "A cell comment holds what looks like a henkilötunnus (birth date {value}…). Remove it. Nothing was stored.",
    ),
    "used_range": (
        "Taulukon käytetty alue on liian suuri: kaukaisin solu {cell} ({value} solua, enintään {limit}). "
        "Poista kaukainen arvo ja tallenna tiedosto uudelleen.",
        "The sheet's used range is too large: the farthest cell is {cell} ({value} cells, at most {limit}). "
        "Delete the stray value and save the file again.",
    ),
    "duplicate_source": (
        'Sama lähde "{value}" on annettu kahdesti samassa latauksessa',
        'The same source "{value}" is given twice in one upload',
    ),
    # Warnings
    "unknown_columns": ("Tuntemattomat sarakkeet jätetään pois: {value}", "Unknown columns are left out: {value}"),
    "personal_data_columns": (
        "Sarakkeet näyttävät henkilötiedoilta, eikä niitä tallenneta: {value}",
        "These columns look like personal data and are not stored: {value}",
    ),
    "ignored_sheet": ("Taulukko ohitetaan (ei seurantataulukko)", "Sheet ignored (not a tracking sheet)"),
    "overlap": (
        '{share} tämän lähteen riveistä on jo tallennettu lähteessä "{value}": samat tiedot voivat '
        "tulla lasketuksi kahdesti",
        '{share} of this source\'s rows are already stored under source "{value}": the same data may be counted twice',
    ),
    "looks_like_version": (
        'Tämä näyttää lähteen "{value}" uudelta versiolta: {share} sen riveistä on tässä '
        "tiedostossa. Valitse korvaus, jos tämä on sama kasvava työkirja.",
        'This looks like a new version of source "{value}": {share} of its records are in this '
        "file. Choose to replace it if this is the same growing workbook.",
    ),
    "similar_name": (
        'Nimi muistuttaa lähdettä "{value}". Onko tämä sen uusi versio? Jos on, valitse korvaus; '
        "muuten tämä tallennetaan uutena lähteenä, joka lasketaan yhteen sen kanssa.",
        'The name resembles source "{value}". Is this a new version of it? If so, choose to replace '
        "it; otherwise this is stored as a new source that adds up with it.",
    ),
    "yes_short": ("K", "Y"),
    "no_short": ("E", "N"),
    "target_overridden": (
        'Tavoite ({value}) korvaa lähteen "{other}" aiemmin antaman tavoitteen',
        'Target ({value}) replaces the one given earlier by source "{other}"',
    ),
    "no_rows": ("Taulukossa ei ole yhtään tietoriviä", "The sheet has no data rows"),
    "sheet_read_as": (
        "Taulukko luetaan taulukkona {value} (nimi alkaa sillä)",
        "The sheet is read as {value} (its name starts with it)",
    ),
    "stray_cells": (
        "Irrallisia soluja tietojen ulkopuolella ohitettiin ({n}): {value}",
        "Stray cells outside the data were skipped ({n}): {value}",
    ),
    "hidden_rows": (
        "Taulukossa on {n} piilotettua tai suodatettua riviä. Ne luettiin mukaan.",
        "The sheet has {n} hidden or filtered rows. They were read too.",
    ),
    # Locations
    "loc_row": ("rivi {row}", "row {row}"),
    "loc_column": ("sarake {column}", "column {column}"),
    "error_column": ("Virhe", "Error"),
    "whole_project": ("Koko hanke", "Whole project"),
    "cov_gap": (
        "{municipality}: ei tietueita {n} kuukaudelta ({months}).",
        "{municipality}: no records for {n} months ({months}).",
    ),
    "cov_spike": (
        "{municipality} {month}: {n} tietuetta, yli kolme kertaa tavallisen kuukauden verran (mediaani "
        "{median}). Onko sama aineisto ladattu kahdesti? Lähteet: {sources}.",
        "{municipality} {month}: {n} records, more than three times a usual month (median {median}). "
        "Was the same data uploaded twice? Sources: {sources}.",
    ),
    "cov_ok": (
        "Jokaisella kunnalla on tietueita jokaiselta kuukaudelta {start}–{until}, eikä yksikään kuukausi "
        "erotu moninkertaisena.",
        "Every municipality has records for every month {start}–{until}, and no month stands out as a multiple.",
    ),
    "cov_month": ("Kuukausi", "Month"),
    "cov_caption": (
        "Tietueet käytössä olevista versioista kunnittain ja kuukausittain {start}–{until}, ja lähteet, "
        "joista ne tulevat. Rivit ilman kuntaa (esim. koko hankkeen rahoitus) eivät ole mukana.",
        "Records of the versions in use by municipality and month, {start}–{until}, and the sources "
        "they come from. Rows without a municipality (such as whole-project funding) are not "
        "included.",
    ),
    "cov_empty": (
        "Hankekausi ei ole vielä alkanut: kattavuutta ei ole.",
        "The project period has not begun: there is no coverage yet.",
    ),
}


def _pick(table: dict[str, tuple[str, str]], key: str, lang: str, params: dict) -> str:
    fi, en = table[key]
    text = en if lang == "en" else fi
    return text.format(**params) if params else text


def t(key: str, lang: str = "fi", **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in."""
    return _pick(TEXTS, key, lang, params)


def cli(key: str, lang: str = "fi", **params: object) -> str:
    """The command-line text ``key`` in ``lang``."""
    return _pick(CLI, key, lang, params)


# Command-line messages.
CLI: dict[str, tuple[str, str]] = {
    "bad_municipality": (
        "Tuntematon kunta: {value}. Hankkeen kunnat: {known}.",
        "Unknown municipality: {value}. The project's municipalities: {known}.",
    ),
    "backup_written": (
        "Varmuuskopio kirjoitettu kansioon {path}: {tables} taulua, {rows} riviä",
        "Backup written to {path}: {tables} tables, {rows} rows",
    ),
    "backup_restored": ("Tietokanta rakennettu varmuuskopiosta {path}", "Store rebuilt from the backup {path}"),
    "backup_failed": ("Varmuuskopiota ei voi palauttaa: {error}", "The backup cannot be restored: {error}"),
    "password_prompt": ("Salasana: ", "Password: "),
    "password_empty": ("Salasana ei voi olla tyhjä", "The password cannot be empty"),
    "bad_date": (
        'Päivämäärä ei kelpaa: "{value}" (käytä muotoa 2013-06-30)',
        'Not a valid date: "{value}" (use 2013-06-30)',
    ),
    "no_renderer": (
        "Kuvia ei voi piirtää: Chromium puuttuu ({error}). Asenna Debianin chromium-paketti.",
        "Cannot draw images: Chromium is missing ({error}). Install the Debian chromium package.",
    ),
    "report_written": ("Kirjoitettu {path} ({seconds} s)", "Written {path} ({seconds} s)"),
    "preview": ('{file} → lähde "{source}" ({version})', '{file} → source "{source}" ({version})'),
    "new_source": ("uusi lähde", "new source"),
    "replaces": ("korvaa version {v}", "replaces version {v}"),
    "sheet": (
        "  {sheet}: {rows} kelvollista riviä (uusia {added}, poistuu {removed}, ennallaan {unchanged}), hylättyjä {rejected}, summarivejä ohitettu {totals}",
        "  {sheet}: {rows} valid rows ({added} new, {removed} removed, {unchanged} unchanged), {rejected} rejected, {totals} totals rows skipped",
    ),
    "removed_table": (
        "  {table}: poistuu {rows} riviä (taulukko puuttuu uudesta versiosta)",
        "  {table}: {rows} rows removed (the sheet is missing from the new version)",
    ),
    "stored": (
        "Tallennettu: {source} versio {version}, {rows} riviä",
        "Stored: {source} version {version}, {rows} rows",
    ),
    "dry_run": ("Koekäyttö (--dry-run): mitään ei tallennettu.", "Dry run (--dry-run): nothing was stored."),
    "nothing_stored": ("Mitään ei tallennettu.", "Nothing was stored."),
    "rejected_hint": (
        "Korjaa hylätyt rivit tai käytä valintaa --skip-invalid.",
        "Fix the rejected rows or use --skip-invalid.",
    ),
    "rejected_out": (
        "Hylätyt rivit kirjoitettu tiedostoon {path} ({n} riviä)",
        "Rejected rows written to {path} ({n} rows)",
    ),
    "busy": (
        "Tietokanta on varattu (toinen lataus käynnissä). Yritä hetken kuluttua uudelleen.",
        "The store is busy (another upload is running). Try again in a moment.",
    ),
    "stale": (
        'Lähdettä "{source}" muutettiin esikatselun jälkeen. Lataa uudelleen.',
        'Source "{source}" changed after the preview. Upload again.',
    ),
    "cannot_read": ("{file}: tiedostoa ei voi lukea: {error}", "{file}: cannot read the file: {error}"),
    "source_multi": ("--source sopii vain yhdelle tiedostolle", "--source fits only a single file"),
    "restored": (
        "Palautettu: {source} versio {version} ({rows} riviä)",
        "Restored: {source} version {version} ({rows} rows)",
    ),
    "deleted": (
        "Poistettu lähde {source} ({rows} riviä pois luvuista; versiot säilyvät historiassa)",
        "Deleted source {source} ({rows} rows out of the figures; its versions stay in the history)",
    ),
    "no_such": ("Ei löydy: {what}", "Not found: {what}"),
    "template": ("Pohja kirjoitettu: {path}", "Template written: {path}"),
    "sample": ("Esimerkkiaineisto kirjoitettu kansioon {path}: {files}", "Sample data written to {path}: {files}"),
    "bad_by": (
        'Tuntematon ryhmittely "{value}" (sallitut: municipality, year, month)',
        'Unknown grouping "{value}" (allowed: municipality, year, month)',
    ),
    "empty_history": ("Ei latauksia.", "No uploads."),
    "identical": (
        '  Sama tiedosto tai samat rivit kuin lähteen "{source}" käytössä olevassa versiossa: mitään ei tallenneta.',
        '  The same file or the same records as the version of "{source}" in use: nothing will be stored.',
    ),
    "example_removed": (
        "Esimerkkiaineisto ({sources}) poistetaan käytöstä samalla tallennuksella. Säilytä se valinnalla --keep-example.",
        "The example data ({sources}) is taken out of use in the same step. Keep it with --keep-example.",
    ),
    "example_kept": (
        "Esimerkkiaineisto ({sources}) jää käyttöön (--keep-example).",
        "The example data ({sources}) stays in use (--keep-example).",
    ),
    "change": ("  {code}: {before} → {after}", "  {code}: {before} → {after}"),
    "store_missing": (
        "Tietokantaa {path} ei löydy. Sitä ei luoda uudelleen itsestään: palauta varmuuskopio "
        "(restore-backup) tai käynnistä palvelu uudelleen tyhjällä tietokannalla.",
        "The store {path} is missing. It is not recreated by itself: restore a backup (restore-backup) "
        "or restart the service with an empty store.",
    ),
    "store_damaged": (
        "Tietokanta {path} on vioittunut eikä sitä voi lukea. Palauta varmuuskopio (restore-backup).",
        "The store {path} is damaged and cannot be read. Restore a backup (restore-backup).",
    ),
    "store_unwritable": (
        "Tietokantaan {path} ei voi kirjoittaa (levy täynnä tai ei oikeuksia). Mitään ei tallennettu.",
        "The store {path} cannot be written (disk full or no permission). Nothing was stored.",
    ),
    "interrupted": ("Keskeytetty. Mitään ei tallennettu kesken.", "Interrupted. Nothing was stored half-way."),
    "internal": (
        "Odottamaton virhe (viite {ref}). Mitään ei tallennettu kesken; yksityiskohdat ovat lokissa.",
        "Unexpected error (reference {ref}). Nothing was stored half-way; the details are in the log.",
    ),
}

# Chart legends and axis labels.
CHART: dict[str, tuple[str, str]] = {
    "women": ("Naiset", "Women"),
    "men": ("Miehet", "Men"),
    "unknown": ("Ei tiedossa", "Unknown"),
    "target": ("Tavoite", "Target"),
    "undivided": ("Toteutunut (jako piilotettu)", "Realised (split hidden)"),
    "hidden_mark": ("x = pieni luku (1–4) piilotettu", "x = small number (1–4) hidden"),
    "target_share": ("Osavuoden osuus tavoitteesta", "The part year's share of the target"),
    "realised": ("Toteutunut", "Realised"),
    "path": ("Tavoitepolku", "Target path"),
    "forecast": ("Ennuste (6 kk vauhti)", "Forecast (6-month pace)"),
    "as_of": ("tilanne", "as of"),
    "granted": ("Myönnetty", "Granted"),
    "eu_state": ("EU ja valtio", "EU and state"),
    "public": ("Julkinen yhteensä", "Public in total"),
    "projects": ("hankkeita", "projects"),
    "projects_axis": ("Hankkeita", "Projects"),
    "this_project": ("Tämä hanke", "This project"),
    "utilisation": ("Käyttöaste, %", "Utilisation, %"),
    "expected": ("Tavoitepolulla nyt", "On the target path now"),
    "achieved": ("Toteutuma, % tavoitteesta", "Achieved, % of target"),
    "ahead": ("edellä", "ahead"),
    "on_track": ("tavoitteessa", "on track"),
    "behind": ("jäljessä", "behind"),
}


def chart_label(key: str, lang: str = "fi") -> str:
    """A chart legend or axis label."""
    return _pick(CHART, key, lang, {})


# Dashboard labels.
UI = {
    # reports
    "report_planned": ("Suunniteltu", "Planned"),
    "report_realised": ("Toteutunut seurantatietojen mukaan", "Realised according to the monitoring data"),
    "report_placement_split": (
        "({employed} työllistämistoimenpidettä, joista {unsubsidised} työsopimusta ilman tukea, "
        "+ {training} koulutukseen tai oppisopimukseen sijoitettua)",
        "({employed} employment measures, {unsubsidised} of them an unsubsidised contract, "
        "+ {training} placed in labour-market training or apprenticeship)",
    ),
    "report_heading": ("indikaattorit, tilanne {date}", "indicators as of {date}"),
    "internal_output": ("SISÄINEN: pienet luvut näkyvät", "INTERNAL: small numbers shown"),
    "sheet_whole": ("Koko hanke", "Whole project"),
    "sheet_municipality": ("Kunnittain", "By municipality"),
    "sheet_year": ("Vuosittain", "By year"),
    "sheet_municipality_year": ("Kunnittain ja vuosittain", "By municipality and year"),
    "suppression_note": (
        "x = piilotettu: pieni luku (1–4) tai luku, josta pieni luku voitaisiin laskea "
        "rivin, sarakkeen tai koko hankkeen summasta. Euromääriä ja koko hankkeen lukuja ei piiloteta.",
        "x = hidden: a small number (1–4), or a number from which a small one could be worked out "
        "with a row, column or whole-project total. Euros and whole-project figures are never hidden.",
    ),
    "suppression_short": ("pienet luvut (1–4) piilotettu", "small numbers (1–4) hidden"),
    "sign_in_title": ("Kirjaudu sisään", "Sign in"),
    "your_name": ("Nimesi (tapahtumalokiin)", "Your name (for the audit log)"),
    "name_needed": ("Kirjoita nimesi: se tallennetaan tapahtumalokiin.", "Enter your name: the audit log records it."),
    "sso_help": (
        "Kirjaudu organisaatiosi tunnuksella. Pääsy on niillä, jotka hankkeen ylläpitäjä on lisännyt.",
        "Sign in with your organisation's account. Access is for the people the project's administrator added.",
    ),
    "sign_in_sso": ("Kirjaudu organisaation tunnuksella", "Sign in with your organisation's account"),
    "no_access_title": ("Ei käyttöoikeutta", "No access"),
    "no_access": (
        "Olet kirjautunut tunnuksella {who}, mutta sillä ei ole käyttöoikeutta tähän palveluun. "
        "Pyydä oikeutta hankkeen ylläpitäjältä.",
        "You are signed in as {who}, but that account has no access to this service. "
        "Ask the project's administrator for access.",
    ),
    "password": ("Salasana", "Password"),
    "sign_in": ("Kirjaudu", "Sign in"),
    "sign_out": ("Kirjaudu ulos", "Sign out"),
    "wrong_password": ("Väärä salasana.", "Wrong password."),
    "throttled": (
        "Liian monta väärää yritystä. Odota {seconds} s ja yritä uudelleen.",
        "Too many wrong attempts. Wait {seconds} s and try again.",
    ),
    "signed_in_as": ("Kirjautunut: {role}", "Signed in: {role}"),
    "role_staff": ("projektityöntekijä", "project staff"),
    "role_viewer": ("ohjausryhmä (vain yhteenvedot)", "steering group (aggregates only)"),
    "demo_banner": (
        "Paikallinen demo: kirjautumista ei ole määritetty, kaikki toiminnot ovat auki.",
        "Local demo: no sign-in is configured, everything is open.",
    ),
    "staff_only": ("Tämä toiminto on vain projektityöntekijöille.", "This is for project staff only."),
    "drill_staff_only": (
        "Lähderivit näkyvät vain projektityöntekijöille.",
        "Source records are shown to project staff only.",
    ),
    "audit": ("Tapahtumaloki", "Audit log"),
    "a_at": ("Aika", "When"),
    "a_actor": ("Kuka (rooli)", "Who (role)"),
    "a_action": ("Mitä", "What"),
    "slide_prev": ("Edellinen dia (←)", "Previous slide (←)"),
    "slide_next": ("Seuraava dia (→)", "Next slide (→)"),
    "slide_exit": ("Poistu esityksestä", "Leave the slideshow"),
    "slide_count": ("{n}/{count}", "{n}/{count}"),
    "acknowledgement": ("EU-tunnus kuviin (Euroopan sosiaalirahasto)", "EU acknowledgement on charts (ESF)"),
    "export": ("Raportit ja kuvat", "Reports and images"),
    "export_public": ("Julkinen (pienet luvut 1–4 piilotettu)", "Public (small numbers 1–4 hidden)"),
    "export_internal": ("Sisäinen (kaikki luvut)", "Internal (all numbers)"),
    "make_pptx": ("Luo PowerPoint", "Create PowerPoint"),
    "make_xlsx": ("Luo Excel-taulukot", "Create Excel tables"),
    "make_images": ("Luo kuvat (PNG ja SVG)", "Create images (PNG and SVG)"),
    "download_pptx": ("Lataa PowerPoint", "Download PowerPoint"),
    "download_images": ("Lataa kuvat (zip)", "Download images (zip)"),
    "report_text_title": ("Loppuraportin indikaattoriteksti", "Final-report indicator text"),
    "no_renderer": (
        "Kuvia ei voi piirtää palvelimella: Chromium puuttuu.",
        "Images cannot be drawn on the server: Chromium is missing.",
    ),
    "deck_indicator": ("Indikaattori", "Indicator"),
    "emblem_alt": ("Euroopan unionin lippu", "The flag of the European Union"),
    "deck_target": ("Suunn. yht.", "Planned total"),
    "deck_target_women": ("Suunn. naisia", "Planned women"),
    "deck_actual": ("Toteut. yht.", "Realised total"),
    "deck_actual_women": ("Toteut. naisia", "Realised women"),
    "deck_actual_men": ("Toteut. miehiä", "Realised men"),
    "deck_achieved_pct": ("Toteuma", "Achieved"),
    "deck_status": ("Tila", "Status"),
    "deck_subtitle": ("Hanke {code} · seurantatiedot, tilanne {date}", "Project {code} · monitoring data as of {date}"),
    # frame
    "overview": ("Yleiskuva", "Overview"),
    "indicators": ("Indikaattorit", "Indicators"),
    "explore": ("Tutki", "Explore"),
    "upload": ("Lataa tiedot", "Upload"),
    "funding": ("Rahoitus", "Funding"),
    "slideshow": ("Esitys", "Slideshow"),
    "total": ("Yhteensä", "Total"),
    "municipalities": ("Kunnat", "Municipalities"),
    "all_municipalities": ("Kaikki kunnat", "All municipalities"),
    "period": ("Ajanjakso", "Period"),
    "as_of": (
        "Tilanne {cutoff} (uusin tietue {record}, viimeisin lataus {upload})",
        "As of {cutoff} (newest record {record}, last upload {upload})",
    ),
    "preparing_example": (
        "Valmistellaan esimerkkiaineistoa: tämä on uusi tietovarasto, ja esimerkkityökirjat tallennetaan siihen.",
        "Preparing the example data: this is a new store, and the example workbooks are being stored in it.",
    ),
    "preparing_example_wait": ("Hetki, sivu avautuu kohta…", "One moment, the page opens shortly…"),
    "example_badge": (
        "ESIMERKKIAINEISTO – luvut ovat harjoitusdataa, eivät hankkeen seurantatietoja.",
        "EXAMPLE DATA – the figures are practice data, not the project's monitoring data.",
    ),
    "empty_store": (
        "Tietokannassa ei ole vielä seurantatietoja. Lataa työkirjat sivulla Lataa tiedot.",
        "The store holds no monitoring data yet. Load workbooks on the Upload page.",
    ),
    "filtered": ("Rajattu: {names}.", "Filtered: {names}."),
    "source_line": (
        "Lähde: {project} -hankkeen seurantatiedot, tilanne {date}",
        "Source: {project} project monitoring data, as of {date}",
    ),
    "download_csv": ("Lataa CSV", "Download CSV"),
    "auth_broken": (
        "Kirjautumisen asetukset ovat virheelliset (.streamlit/secrets.toml: [auth], [access] tai [passwords]), "
        "joten palvelu ei avaudu. Ylläpitäjä: katso palvelimen loki (viite {ref}).",
        "The sign-in settings are broken (.streamlit/secrets.toml: [auth], [access] or [passwords]), so the "
        "service does not open. Administrator: see the server log (reference {ref}).",
    ),
    "public_cutoffs": (
        "Ohjausryhmän luvut ovat olemassa vain raportointipäivinä: näytetään {since}–{until} (valittu {chosen}).",
        "Steering-group figures exist only at the reporting cut-offs: showing {since}–{until} (chosen {chosen}).",
    ),
    "no_public_cutoff": (
        "Valitulle jaksolle ({chosen}) ei ole vielä raportointipäivää, joten julkisia lukuja ei ole.",
        "The chosen period ({chosen}) has no reporting cut-off yet, so there are no public figures.",
    ),
    "monthly_staff_only": (
        "Kuukausittaiset luvut ovat pieniä lukuja, ja ne näkyvät vain projektityöntekijöille.",
        "Month-by-month figures are small numbers and are shown to project staff only.",
    ),
    "download_unlogged": (
        "Lataus estetty: tapahtumalokiin ei voitu kirjoittaa (tietokanta varattu). Yritä uudelleen.",
        "Download refused: the audit log could not be written (the store is busy). Try again.",
    ),
    "download_xlsx": ("Lataa Excel", "Download Excel"),
    "numbers": ("Luvut", "Numbers"),
    # overview
    "overview_title": ("Suunniteltu ja toteutunut koko hankkeessa", "Planned and realised, whole project"),
    "overview_title_view": ("Suunniteltu ja toteutunut: {scope}", "Planned and realised: {scope}"),
    "whole_project_scope": ("koko hanke", "whole project"),
    "unassigned": (
        "{n} tietuetta ilman kuntaa (koko hankkeen tietoja, esim. rahoitus) ei ole mukana kuntarajauksessa.",
        "{n} records without a municipality (whole-project data, such as funding) are left out of the municipal view.",
    ),
    "view_targets": (
        "Tavoitteet: {how}",
        "Targets: {how}",
    ),
    "targets_municipal": ("valittujen kuntien tavoitteiden summa", "the sum of the chosen municipalities' targets"),
    "targets_years": ("vuosien {years} tavoitteet", "the targets of the years {years}"),
    "targets_year": ("vuoden {years} tavoitteet", "the targets of the year {years}"),
    "targets_prorated": (
        "vuoden {year} tavoitteesta {share} (osavuosi)",
        "{share} of the {year} target (part of the year)",
    ),
    "no_view_target": (
        "Rajaukselle ei ole tavoitetta, joten toteumaprosenttia ja tilaa ei näytetä.",
        "The view has no target, so no % achieved and no status are shown.",
    ),
    "overview_caption": (
        "{name} ({code}), {start}–{end}. Tilanne {as_of}: tavoitepolulla pitäisi olla {share} tavoitteista.",
        "{name} ({code}), {start}–{end}. As of {as_of} the target path stands at {share} of each target.",
    ),
    "status": ("Tila", "Status"),
    "status_ahead": ("▲ edellä", "▲ ahead"),
    "status_on_track": ("● tavoitteessa", "● on track"),
    "status_behind": ("▼ jäljessä", "▼ behind"),
    "achieved_title": ("Toteutuma tavoitteesta", "Achieved, % of target"),
    "of_target": ("{pct} tavoitteesta", "{pct} of target"),
    "no_target": ("ei tavoitetta", "no target"),
    # indicator detail
    "pick_indicator": ("Indikaattori", "Indicator"),
    "by_municipality": ("{name} kunnittain, naiset ja miehet", "{name} by municipality, women and men"),
    "by_municipality_plain": ("{name} kunnittain", "{name} by municipality"),
    "by_year": ("{name} vuosittain", "{name} by year"),
    "cumulative": (
        "{genitive} kertyminen kuukausittain ja tavoitepolku",
        "{genitive}, cumulative by month, and the target path",
    ),
    "forecast_text": (
        "Ennuste hankkeen lopussa (viimeisten 6 kuukauden vauhdilla): {value}",
        "Forecast at the end of the project (at the pace of the last 6 months): {value}",
    ),
    "partial_year": (
        "* {year} on mukana vain osittain ({first}–{last}, {share} vuoden hankepäivistä); katkoviiva näyttää saman "
        "osuuden vuoden tavoitteesta.",
        "* {year} is included only in part ({first}–{last}, {share} of the year's project days); the dotted mark "
        "shows the same share of the year's target.",
    ),
    "percentile_at_end_only": (
        "Vertailu päättyneisiin hankkeisiin näytetään vain koko hankkeen lopputilanteesta ({end}). Kesken olevan "
        "tilanteen tai rajauksen käyttöaste ei ole vertailukelpoinen päättyneiden hankkeiden lopulliseen "
        "käyttöasteeseen.",
        "The comparison with finished projects is shown only for the whole project at its end ({end}). The "
        "utilisation of a view part-way or of a filtered view is not comparable with the final utilisation of "
        "finished projects.",
    ),
    "no_records": ("Ei tietoja valitulla rajauksella.", "No records with the chosen filters."),
    # explore
    "explore_title": ("Tutki tietoja", "Explore the data"),
    "rows": ("Rivit", "Rows"),
    "column": ("Sarakkeet", "Columns"),
    "none": ("(ei)", "(none)"),
    "filters": ("Rajaukset", "Filters"),
    "pivot_title": ("{what}", "{what}"),
    "drill": ("Porautuminen lähderiveihin", "Drill down to the source records"),
    "drill_help": (
        "Valitse solu: lähderivit näytetään tiedostoineen, taulukoineen ja rivinumeroineen.",
        "Pick a cell: its source records are shown with their file, sheet and row.",
    ),
    "drill_count": ("{n} lähderiviä", "{n} source records"),
    "drill_count_one": ("1 lähderivi", "1 source record"),
    "choose": ("Valitse", "Choose"),
    "all_values": ("Kaikki", "All"),
    "dim_indicator": ("Indikaattori", "Indicator"),
    "dim_municipality": ("Kunta", "Municipality"),
    "dim_year": ("Vuosi", "Year"),
    "dim_quarter": ("Neljännes", "Quarter"),
    "dim_month": ("Kuukausi", "Month"),
    "dim_gender": ("Sukupuoli", "Gender"),
    "dim_contact_type": ("Kontaktityyppi", "Contact type"),
    "dim_measure": ("Toimenpide", "Measure"),
    "dim_subsidised": ("Tuettu", "Subsidised"),
    "dim_industry": ("Toimiala", "Industry"),
    "dim_entrepreneurship": ("Yrittäjyys", "Entrepreneurship"),
    "dim_funding_source": ("Rahoituslähde", "Funding source"),
    "value": ("Arvo", "Value"),
    "file": ("Tiedosto", "File"),
    "column_header": ("Sarake", "Column"),
    "message_header": ("Viesti", "Message"),
    "sheet": ("Taulukko", "Sheet"),
    "row": ("Rivi", "Row"),
    # upload
    "upload_title": ("Lataa seurantatiedot", "Upload monitoring data"),
    "upload_help": (
        "Pudota yksi tai useampi seurantatyökirja (xlsx, xlsm, xls, ods). Mitään ei tallenneta ennen kuin vahvistat.",
        "Drop one or more tracking workbooks (xlsx, xlsm, xls, ods). Nothing is stored until you confirm.",
    ),
    "reading": ("Luetaan {name} ({i}/{n}) …", "Reading {name} ({i}/{n}) …"),
    "read_done": ("Tiedostot luettu ({n}).", "Files read ({n})."),
    "preview": ("Esikatselu", "Preview"),
    "source_new": ('{file} → uusi lähde "{source}"', '{file} → new source "{source}"'),
    "source_replace": (
        '{file} → korvaa lähteen "{source}" version {version}',
        '{file} → replaces version {version} of source "{source}"',
    ),
    "col_sheet": ("Taulukko", "Sheet"),
    "col_rows": ("Kelvollisia", "Valid"),
    "col_added": ("Uusia", "New"),
    "col_removed": ("Poistuu", "Removed"),
    "col_unchanged": ("Ennallaan", "Unchanged"),
    "col_rejected": ("Hylättyjä", "Rejected"),
    "col_totals": ("Summarivejä ohitettu", "Totals rows skipped"),
    "problems": ("Huomiot ja virheet", "Notes and errors"),
    "blocked": ("Tiedostoa ei voi tallentaa: {reason}", "The file cannot be stored: {reason}"),
    "has_rejected": (
        "{n} riviä hylätään. Voit tallentaa kelvolliset rivit tai korjata tiedoston.",
        "{n} rows will be rejected. You can store the valid rows or fix the file.",
    ),
    "confirm": ("Tallenna", "Store"),
    "confirm_valid": ("Tallenna kelvolliset rivit", "Store the valid rows"),
    "cancel": ("Peruuta", "Cancel"),
    "cancelled": ("Lataus peruttu. Mitään ei tallennettu.", "Upload cancelled. Nothing was stored."),
    "stored": (
        "Tallennettu: {what}. Kaikki sivut näyttävät nyt uudet luvut.",
        "Stored: {what}. Every page now shows the new figures.",
    ),
    "store_failed": (
        "Tallennus epäonnistui, mitään ei tallennettu: {reason}",
        "Storing failed, nothing was stored: {reason}",
    ),
    "busy": (
        "Tietokanta on varattu (toinen lataus on käynnissä). Yritä hetken kuluttua uudelleen.",
        "The store is busy (another upload is running). Try again in a moment.",
    ),
    "stale": (
        'Lähdettä "{source}" muutettiin esikatselun jälkeen. Lataa tiedosto uudelleen.',
        'Source "{source}" changed after the preview. Upload the file again.',
    ),
    "download_rejected": ("Lataa hylätyt rivit (Excel)", "Download the rejected rows (Excel)"),
    "template": ("Lataa tyhjä seurantatyökirja", "Download a blank tracking workbook"),
    "history": ("Lähteet ja versiot", "Sources and versions"),
    "coverage": ("Kattavuus: tietueet kunnittain ja kuukausittain", "Coverage: records by municipality and month"),
    "history_empty": ("Ei latauksia.", "No uploads."),
    "h_source": ("Lähde", "Source"),
    "h_version": ("Versio", "Version"),
    "h_at": ("Ladattu", "Uploaded"),
    "h_by": ("Lataaja", "By"),
    "h_file": ("Tiedosto", "File"),
    "h_rows": ("Rivejä", "Rows"),
    "h_rejected": ("Hylättyjä", "Rejected"),
    "h_active": ("Käytössä", "In use"),
    "restore": ("Palauta versio", "Restore a version"),
    "restore_button": ("Palauta", "Restore"),
    "restored": ("Palautettu: {source} versio {version}.", "Restored: {source} version {version}."),
    "delete": ("Poista lähde", "Delete a source"),
    "delete_button": ("Poista", "Delete"),
    "deleted": (
        "Poistettu: {source}. Sen versiot säilyvät historiassa.",
        "Deleted: {source}. Its versions stay in the history.",
    ),
    "confirm_check": ("Vahvistan", "I confirm"),
    "source_name": ("Lähteen nimi", "Source name"),
    "source_help": (
        "Sama lähde korvaa aiemman versionsa; eri lähteet lasketaan yhteen.",
        "The same source replaces its earlier version; different sources add up.",
    ),
    "replace_instead": ('Korvaa lähde "{source}" tämän sijaan', 'Replace source "{source}" instead'),
    "identical": (
        'Sama tiedosto tai samat rivit kuin lähteen "{source}" käytössä olevassa versiossa: mitään ei tallenneta.',
        'The same file or the same records as the version of "{source}" in use: nothing will be stored.',
    ),
    "table_removed": (
        "{sheet}: {n} riviä poistuu, koska taulukko puuttuu uudesta versiosta.",
        "{sheet}: {n} rows will be removed, because the sheet is missing from the new version.",
    ),
    "download_removed": ("Lataa poistuvat rivit ({n}, Excel)", "Download the rows that go away ({n}, Excel)"),
    "removed_file": ("poistuvat_rivit_{source}", "removed_rows_{source}"),
    "rejected_file": ("hylatyt_rivit_{source}", "rejected_rows_{source}"),
    "example_question": (
        "Tietokannassa on esimerkkiaineistoa. Se poistetaan käytöstä samalla, kun tallennat "
        "ensimmäiset oikeat tiedot, ellei valintaa poisteta.",
        "The store holds example data. It is taken out of use in the same step as your first real "
        "upload, unless you untick the box.",
    ),
    "example_remove": ("Poista esimerkkiaineisto samalla", "Remove the example data in the same step"),
    "example_remove_now": ("Poista esimerkkiaineisto", "Remove the example data"),
    "example_removed": ("Esimerkkiaineisto poistettu käytöstä.", "The example data was taken out of use."),
    "change_title": ("Koko hankkeen luvut nyt ja tallennuksen jälkeen", "Whole-project figures now and after storing"),
    "now": ("Nyt", "Now"),
    "after": ("Tallennuksen jälkeen", "After storing"),
    "difference": ("Muutos", "Change"),
    "gone": (
        "Valittua lähdettä tai versiota ei enää ole. Mitään ei muutettu.",
        "The chosen source or version no longer exists. Nothing was changed.",
    ),
    "refused_blocked": ("tiedostossa on esteitä", "a file is blocked"),
    "refused_rejected": ("rivejä hylättiin", "rows were rejected"),
    "store_missing": (
        "Tietokanta puuttuu. Sitä ei luoda uudelleen itsestään: ota yhteyttä ylläpitoon.",
        "The store is missing. It is not recreated by itself: contact the administrator.",
    ),
    "store_damaged": (
        "Tietokanta on vioittunut. Ylläpito voi palauttaa varmuuskopion.",
        "The store is damaged. The administrator can restore a backup.",
    ),
    "store_unwritable": (
        "Tietokantaan ei voi kirjoittaa (levy täynnä tai ei oikeuksia). Mitään ei tallennettu.",
        "The store cannot be written (disk full or no permission). Nothing was stored.",
    ),
    "page_error": (
        "Sivun näyttämisessä tapahtui odottamaton virhe (viite {ref}). Yksityiskohdat on kirjattu palvelimen lokiin.",
        "The page hit an unexpected error (reference {ref}). The details are in the server log.",
    ),
    "actor_example": ("esimerkkiaineisto", "example data"),
    "actor_cli": ("komentorivi", "command line"),
    "role_admin": ("ylläpitäjä", "administrator"),
    "action_upload": ("lataus", "upload"),
    "action_replace": ("korvaus", "replace"),
    "action_restore": ("palautus", "restore"),
    "action_delete": ("poisto", "delete"),
    "action_export": ("vienti", "export"),
    "action_signin_failed": ("epäonnistunut kirjautuminen", "failed sign-in"),
    "action_signin_refused": ("kirjautuminen ilman käyttöoikeutta", "sign-in without access"),
    "actor_anonymous": ("kirjautumaton", "not signed in"),
    "table_targets": ("Tavoitteet", "Targets"),
    "table_contacts": ("Kontaktit", "Contacts"),
    "table_jobs": ("Työpaikat", "Jobs"),
    "table_companies": ("Yritykset", "Companies"),
    "table_placements": ("Työllistäminen", "Placements"),
    "table_trainings": ("Koulutukset", "Trainings"),
    "table_projects": ("Hankkeet", "Projects"),
    "table_funding": ("Rahoitus", "Funding"),
    "confirm_first": ("Rastita ensin ”Vahvistan”.", 'Tick "I confirm" first.'),
    "yes": ("kyllä", "yes"),
    "no": ("ei", "no"),
    # funding
    "funding_title": ("Rahoitus", "Funding"),
    "funding_month": ("Toteutunut rahoitus kuukausittain lähteittäin", "Realised funding by month and source"),
    "funding_cumulative": ("Kertynyt rahoitus ja myönnetty rahoitus", "Cumulative and granted funding"),
    "utilisation": ("Käyttöaste", "Utilisation"),
    "utilisation_help": ("toteutunut / myönnetty", "realised / granted"),
    "reference_title": (
        "Käyttöaste ESR-hankkeiden joukossa 2007–2013",
        "Utilisation among the ESF projects of 2007–2013",
    ),
    "reference_group": ("Vertailuryhmä", "Comparison group"),
    "group_all": ("Kaikki ESR-hankkeet", "All ESF projects"),
    "group_authority": ("Sama viranomainen", "Same authority"),
    "group_axis": ("Sama toimintalinja", "Same priority axis"),
    "percentile": (
        "EU- ja valtion rahoituksen käyttöaste {ours}: {pct}. persentiili ({n} hanketta, {label}).",
        "EU and state funding utilisation {ours}: percentile {pct} ({n} projects, {label}).",
    ),
    "reference_source": ("Lähde: {source}", "Source: {source}"),
    "no_granted": (
        "Myönnettyä rahoitusta ei ole Tavoitteet-taulukossa.",
        "No granted funding is given in the Targets sheet.",
    ),
}


def ui(key: str, lang: str = "fi", **params: object) -> str:
    """The dashboard label ``key`` in ``lang`` with ``params`` filled in."""
    return _pick(UI, key, lang, params)
