"""The CLI's views are the dashboard's (issue 24: "report --as-of 2013-05-15 writes unmarked public figures at a
date that is no reporting cut-off"; "CLI dates are 04.12.2026 in every language")."""

import re

from vvr_metrics.cli import main


def test_a_public_report_off_a_cut_off_stands_at_the_cut_off_before_and_says_so(sample_store, capsys):
    assert main(["report", "--as-of", "2012-12-31", "--db", str(sample_store)]) == 0
    at_cutoff = capsys.readouterr().out
    assert main(["report", "--as-of", "2013-05-15", "--db", str(sample_store)]) == 0
    done = capsys.readouterr()
    assert done.out == at_cutoff  # the same public figures: those of 31.12.2012
    assert "Julkiset luvut ovat raportointipäivien lukuja: 15.5.2013 → 31.12.2012." in done.err
    # staff output keeps the day asked for
    assert main(["report", "--as-of", "2013-05-15", "--internal", "--db", str(sample_store)]) == 0
    internal = capsys.readouterr()
    assert internal.out != at_cutoff and "raportointipäivien" not in internal.err


def test_history_and_audit_dates_are_in_the_languages_format(sample_store, capsys):
    assert main(["history", "--db", str(sample_store)]) == 0
    finnish = capsys.readouterr().out.splitlines()[0].split("\t")[2]
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4} \d{2}:\d{2}", finnish) and not finnish.startswith("0")
    assert main(["history", "--lang", "en", "--db", str(sample_store)]) == 0
    english = capsys.readouterr().out.splitlines()[0].split("\t")[2]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", english), english  # the catalogue's yyyy-MM-dd
    assert main(["audit", "--lang", "en", "--db", str(sample_store)]) == 0
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\t", capsys.readouterr().out)
