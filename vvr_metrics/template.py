"""The blank tracking workbook: every sheet with its headers, drop-down lists and Finnish instructions."""

from __future__ import annotations

from . import workbook_format as wf
from .catalogue import CATALOGUE
from .exports import set_cell
from .settings import ProjectSettings, load_settings

DATA_ROWS = 2000  # rows that get the drop-down lists


def _choices(column: wf.Column, settings: ProjectSettings) -> list[str] | None:
    if column.kind == wf.MUNICIPALITY:
        return list(settings.municipalities)
    if column.kind == wf.GENDER:
        return ["N", "M", "-"]
    if column.kind == wf.YESNO:
        return ["K", "E"]
    if column.kind == wf.CHOICE:
        return list(wf.VOCABULARIES[column.vocabulary].canonical)
    if column.kind == wf.INDICATOR:
        return [i.code for i in CATALOGUE]
    if column.kind == wf.YEAR:
        return [str(y) for y in settings.years]
    return None


def instructions(settings: ProjectSettings) -> list[str]:
    """The Finnish instructions sheet, one paragraph per line."""
    lines = [
        f"{settings.name} – seurantatyökirja (muoto {wf.FORMAT_VERSION})",
        "",
        "Näin täytät:",
        "• Jokainen taulukko on oma tietotyyppinsä. Voit poistaa taulukot, joita et käytä, tai pitää ne tyhjinä.",
        "• Yksi rivi = yksi tapahtuma (tapaaminen, työpaikka, yritys, sijoitus, koulutus, hanke tai maksu).",
        "• Otsikkorivin yläpuolelle saa kirjoittaa otsikoita ja huomioita. Yhteensä-rivit ohitetaan.",
        f"• Päivämäärä muodossa 1.4.2011. Hankekausi on {settings.start.day}.{settings.start.month}.{settings.start.year}"
        f"–{settings.end.day}.{settings.end.month}.{settings.end.year}; sen ulkopuoliset päivät hylätään.",
        "• Rahoitus-taulukon päivämääräksi käy myös kuukausi, esim. 3/2012.",
        "• Summat desimaalipilkulla ja tuhannet välilyönnillä: 1 234,56 € (enintään kaksi desimaalia). Moniselitteinen "
        "1.234 tai 1,234 hylätään, samoin 1e3. Lukumäärät ilman välilyöntejä: 12.",
        f"• Kunta: {', '.join(settings.municipalities)}.",
        "• Sukupuoli: N = nainen, M = mies, tyhjä tai - = ei tiedossa.",
        "• Kyllä/ei-sarakkeet: K tai E.",
        "• ÄLÄ KOSKAAN kirjoita henkilötunnuksia. Jos työkirjassa on henkilötunnus, koko lataus hylätään.",
        "  Käytä Asiakastunnus-sarakkeessa omaa pseudonyymiä tunnusta (esim. HEI-A0012).",
        "",
        "Taulukot ja sarakkeet (lihavoitu otsikko = pakollinen):",
    ]
    for sheet in wf.SHEETS:
        lines.append(f"{sheet.name_fi} ({sheet.name_en}): {sheet.description_fi}")
        for c in sheet.columns:
            need = "pakollinen" if c.required else "vapaaehtoinen"
            lines.append(f"   – {c.header_fi} ({need}): {c.meaning_fi}")
    lines += ["", "Indikaattorien koodit Tavoitteet-taulukkoon:"]
    lines += [f"   – {i.code}: {i.name_fi}" for i in CATALOGUE]
    return lines


def write_template(out, settings: ProjectSettings | None = None) -> None:
    """Write the blank workbook to ``out`` (a path or a binary file object)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    settings = settings or load_settings()
    wb = Workbook()
    ws = wb.active
    ws.title = "Ohjeet"
    for r, line in enumerate(instructions(settings), start=1):
        set_cell(ws.cell(r, 1), line)
    ws.column_dimensions["A"].width = 110
    ws["A1"].font = Font(bold=True, size=14)

    for sheet in wf.SHEETS:
        ws = wb.create_sheet(sheet.name_fi)
        for c, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(1, c)
            set_cell(cell, column.header_fi)
            cell.font = Font(bold=column.required)
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = max(14, len(column.header_fi) + 4)
            rng = f"{letter}2:{letter}{DATA_ROWS + 1}"
            choices = _choices(column, settings)
            if choices:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    showErrorMessage=column.kind != wf.CHOICE,
                )
                dv.error = "Valitse arvo luettelosta"
                dv.add(rng)
                ws.add_data_validation(dv)
            if column.kind in (wf.DATE, wf.MONTH_OR_DATE):
                for r in range(2, 50):
                    ws.cell(r, c).number_format = "d.m.yyyy"
        ws.freeze_panes = "A2"
    wb.save(out)
