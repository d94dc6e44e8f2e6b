"""`regdocs table --format docx`: the Word negotiation table read back with python-docx, and printed to PDF by
LibreOffice headless (the text checked with pdftotext)."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import ROOT, one_error, run_cli
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table, _Row
from negotiated import negotiation_repo

from regdocs.corpus.config import load_config
from regdocs.corpus.sources import Sources
from regdocs.gitflow.table import negotiation_table
from regdocs.render.tabledocx import table_docx
from regdocs.safefile import write_through

BUNDLED = ROOT / "corpus"


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return negotiation_repo(make_repo)


def write_docx(root: Path, target: Path, *args: str) -> bytes:
    result = run_cli(root, "table", *args, "--format", "docx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return target.read_bytes()


def read(path: Path) -> Document:
    return docx.Document(str(path))


def row_of(table: Table, citation: str) -> _Row:
    found: _Row = next(r for r in table.rows if r.cells[0].paragraphs[0].runs[0].text == citation)
    return found


def runs(row: _Row, column: int) -> list[tuple[str, str]]:
    """(how, text) for each run of a round's cell (0: the first round): struck, underlined, quiet or plain."""
    out = []
    for run in row.cells[2 + column].paragraphs[0].runs:
        how = "struck" if run.font.strike else "underlined" if run.font.underline else "plain"
        out.append(("quiet" if run.italic else how, run.text))
    return out


def test_a_table_per_document_with_a_header_row_that_repeats(repo: Path, tmp_path: Path) -> None:
    write_docx(repo, tmp_path / "t.docx")
    doc = read(tmp_path / "t.docx")
    assert len(doc.tables) == 1
    header = doc.tables[0].rows[0]
    assert [c.text.split("\n")[0] for c in header.cells] == [
        "Clause",
        "Status",
        "round-1",
        "round-2",
        "round-3",
        "Last changed by",
    ]
    assert header.cells[3].text == "round-2\nLab Ltd\n2026-02-01\nCounter-proposal"
    assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(doc.tables[0].rows) == 1 + 13
    heading = doc.paragraphs[0]
    assert heading.text == "Incident Rules: negotiation table \u2014 rules"
    assert heading.style is not None and heading.style.name == "Heading 1"


def test_cells_are_redlined_as_struck_and_underlined_runs(repo: Path, tmp_path: Path) -> None:
    write_docx(repo, tmp_path / "t.docx")
    table = read(tmp_path / "t.docx").tables[0]
    deadline = row_of(table, "section 1(1)")
    assert runs(deadline, 0) == [
        ("plain", "The developer [shall][should] notify the Office [within 72 hours].")
    ]
    assert ("struck", "72 hours") in runs(deadline, 1) and ("underlined", "7 days") in runs(deadline, 1)
    struck = next(r for r in deadline.cells[3].paragraphs[0].runs if r.font.strike)
    assert struck.font.color.rgb == docx.shared.RGBColor(0xB0, 0x1E, 0x1E)
    assert deadline.cells[1].text == "changed"
    assert deadline.cells[-1].text == "round-3 \u00b7 Joint committee \u00b7 2026-03-01"
    records = row_of(table, "section 3")
    assert runs(records, 1) == [("quiet", "= round-1 (renumbered)")]
    assert records.cells[0].text == "section 3\nRecords"
    cap = next(r for r in table.rows if "1,000,000" in r.cells[2].text)
    assert runs(cap, 1) == [("struck", "A penalty may not exceed £1,000,000.")] and cap.cells[4].text == ""
    review = row_of(table, "section 5(1)")
    assert runs(review, 2) == [("underlined", "The Office shall review these Rules [every 2 years].")]
    assert review.cells[2].text == review.cells[3].text == ""  # absent: empty
    assert "<script>" in row_of(table, "section 2(1)").cells[3].text  # text, never markup


def test_landscape_a4_with_narrow_margins(repo: Path, tmp_path: Path) -> None:
    write_docx(repo, tmp_path / "t.docx")
    section = read(tmp_path / "t.docx").sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section.left_margin is not None and round(section.left_margin.mm) == 12


def test_two_runs_give_the_same_bytes_dated_by_the_last_round(repo: Path, tmp_path: Path) -> None:
    first = write_docx(repo, tmp_path / "a.docx")
    assert write_docx(repo, tmp_path / "b.docx") == first
    props = read(tmp_path / "a.docx").core_properties
    dates = (props.created, props.modified, props.last_printed)
    assert {d.replace(tzinfo=None) for d in dates if d} == {datetime.datetime(2026, 3, 1)}
    assert props.author == "regdocs" and props.title == "Incident Rules: negotiation table"
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 3, 1, 0, 0, 0)}


def test_source_date_epoch_dates_the_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_docx(repo, tmp_path / "t.docx")
    modified = read(tmp_path / "t.docx").core_properties.modified
    assert modified is not None and modified.replace(tzinfo=None) == datetime.datetime(
        2023, 11, 14, 22, 13, 20
    )
    with zipfile.ZipFile(tmp_path / "t.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_filters_and_an_empty_table(repo: Path, tmp_path: Path) -> None:
    write_docx(repo, tmp_path / "t.docx", "--status", "open")
    doc = read(tmp_path / "t.docx")
    assert [r.cells[0].paragraphs[0].runs[0].text for r in doc.tables[0].rows[1:]] == ["section 5(1)"]
    assert "1 of 13 clauses match the filters." in doc.paragraphs[1].text
    write_docx(repo, tmp_path / "none.docx", "--status", "dropped", "--changed-by", "committee")
    empty = read(tmp_path / "none.docx")
    assert not empty.tables and "No clause matches the filters" in empty.paragraphs[1].text


def test_characters_xml_cannot_hold_do_not_crash(repo: Path, tmp_path: Path) -> None:
    text = (repo / "rules.md").read_text(encoding="utf-8")
    (repo / "rules.md").write_text(text.replace("shall review", "shall\x0b review\x1b[31m"), encoding="utf-8")
    write_docx(repo, tmp_path / "t.docx")  # the working tree, with the control characters, is a column
    table = read(tmp_path / "t.docx").tables[0]
    assert "\u240b review\u241b[31m" in row_of(table, "section 5(1)").cells[5].text  # shown, as on a terminal
    loaded = negotiation_table(Sources(load_config(repo)))
    row = loaded.rows[-1]
    bad = dataclasses.replace(row.cells[0], text="nul\x00 \ufffe \ud800 end", ids=("x",), same_as="")
    forged = dataclasses.replace(
        loaded, title="T\x00\x0c", rows=(dataclasses.replace(row, cells=(bad,) * 4),)
    )
    (tmp_path / "forged.docx").write_bytes(table_docx(forged))
    cell = read(tmp_path / "forged.docx").tables[0].rows[1].cells[2].text
    assert cell == "nul\u2400 \ufffd \ufffd end"


def test_docx_is_never_written_to_standard_output(repo: Path) -> None:
    result = run_cli(repo, "table", "--format", "docx")
    one_error(result, "--format docx is binary", "-o FILE")
    assert result.stdout == ""


def test_bytes_go_through_a_fifo_unchanged(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_through(fifo, b"PK\x03\x04\x00\xff")
    reader.join(timeout=10)
    assert got == [b"PK\x03\x04\x00\xff"]


def test_the_bundled_corpus(tmp_path: Path) -> None:
    write_docx(BUNDLED, tmp_path / "t.docx")
    doc = read(tmp_path / "t.docx")
    assert len(doc.tables) == 3  # the rules and two schedules
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [
        f"Frontier AI Security Rules: negotiation table \u2014 {d}"
        for d in ("frontier-ai-security-rules", "schedule-1", "schedule-2")
    ]
    assert [c.text.split("\n")[0] for c in doc.tables[0].rows[0].cells[2:-1]] == [
        f"round-{k}" for k in range(1, 5)
    ]
    scope = row_of(doc.tables[0], "section 2(1)")
    assert ("struck", "any") in runs(scope, 2) and ("underlined", "every") in runs(scope, 2)
    assert runs(scope, 3) == [("quiet", "= round-3")]
    assert sum(len(t.rows) - 1 for t in doc.tables) == 241


@pytest.mark.slow
def test_libreoffice_prints_the_table(tmp_path: Path) -> None:
    """LibreOffice opens the file and prints it: every page starts with the header row, the text is there."""
    tools = [shutil.which("soffice"), shutil.which("pdftotext")]
    if None in tools and not os.environ.get("CI"):
        pytest.skip("LibreOffice (soffice) and pdftotext are not installed; .ci/run installs them")
    assert None not in tools, "CI needs soffice and pdftotext: .ci/run installs them"
    source = tmp_path / "table.docx"
    write_docx(BUNDLED, source)
    profile = (tmp_path / "lo-profile").as_uri()  # a profile per test: parallel runs do not share a lock
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "table.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    pages = text.rstrip("\f").split("\f")
    assert len(pages) > 3
    assert all("Clause" in page and "Last changed by" in page for page in pages)  # the header repeats
    for expected in (
        "Frontier AI Security Rules: negotiation table",
        "Meridian AI Ltd",
        "Agreed text",
        "settled since",
        "These Rules apply to",
        "= round-1",
    ):
        assert expected in text, expected
