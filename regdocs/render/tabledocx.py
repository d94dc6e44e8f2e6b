"""The negotiation table as a Word document: landscape A4, a table per document, redlines as struck and
underlined runs (the four-column document of a trilogue, generated from the history).

python-docx loads only when this format is used. The file is reproducible: its dates come from
SOURCE_DATE_EPOCH, else from the last column's date, and the zip entries carry that date too.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from regdocs.compare.redline import Op
from regdocs.gitflow.cells import Cell, Mark
from regdocs.gitflow.columns import Column
from regdocs.gitflow.table import NegotiationTable, Row
from regdocs.render.sanitize import scrubbed
from regdocs.render.table import cell_words, column_text, status_text

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph

DELETED_RGB = (0xB0, 0x1E, 0x1E)
"""The colour of struck (deleted) words: red."""
INSERTED_RGB = (0x1A, 0x4F, 0xA0)
"""The colour of underlined (inserted) words: blue."""
QUIET_RGB = (0x6B, 0x6B, 0x6B)
"""The colour of `= round-2` and of the header's party and date: grey."""
HEADER_FILL = "E7E6E6"
"""The header row's shading."""

_PAGE_MM = (297, 210)
_MARGIN_MM = 12
_FIXED_MM = {"clause": 30, "status": 24, "last": 34}
"""The widths of the columns that are not rounds; the rounds share the rest of the page."""
_BODY_PT = 8
_EARLIEST = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)
_LATEST = datetime.datetime(2107, 12, 31, tzinfo=datetime.UTC)
"""The dates a zip entry can carry."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 forbids (python-docx refuses them)."""


def table_docx(table: NegotiationTable) -> bytes:
    """The table as the bytes of a .docx file; two runs on the same table give the same bytes."""
    from docx import Document as new_document

    table = scrubbed(table)  # control characters shown as stand-ins, as every other view does
    stamp = document_date(table.columns)
    doc = new_document()
    _page_setup(doc)
    _core_properties(doc, table.title, stamp)
    groups = _by_document(table.rows)
    for k, (document, rows) in enumerate(groups):
        _heading(doc, f"{table.title}: negotiation table \u2014 {document}", first=k == 0)
        _preface(doc, table)
        _table(doc, table.columns, rows)
    if not groups:
        _heading(doc, f"{table.title}: negotiation table", first=True)
        doc.add_paragraph(_xml_safe(f"No clause matches the filters ({table.total} clauses in all)."))
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def document_date(columns: Sequence[Column]) -> datetime.datetime:
    """The file's date: SOURCE_DATE_EPOCH when set, else the last column's date, else 1 January 1980."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and int(epoch) < _LATEST.timestamp():
        return _zip_dated(datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC))
    for column in reversed(columns):
        try:
            day = datetime.date.fromisoformat(column.date)
        except ValueError:
            continue
        return _zip_dated(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC))
    return _EARLIEST


def _zip_dated(when: datetime.datetime) -> datetime.datetime:
    return min(max(when, _EARLIEST), _LATEST)


def _by_document(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    groups: list[tuple[str, list[Row]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.document:
            groups.append((row.document, []))
        groups[-1][1].append(row)
    return groups


def _page_setup(doc: Document) -> None:
    """Landscape A4 with narrow margins; small type, for many columns side by side."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(_PAGE_MM[0]), Mm(_PAGE_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(_MARGIN_MM))
    doc.styles["Normal"].font.size = Pt(_BODY_PT)


def _core_properties(doc: Document, title: str, stamp: datetime.datetime) -> None:
    """Title and author; every date set to `stamp`, never to the time of the run."""
    props = doc.core_properties
    props.title = _xml_safe(f"{title}: negotiation table")
    props.author = props.last_modified_by = "regdocs"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp  # in UTC, as python-docx writes it


def _heading(doc: Document, text: str, *, first: bool) -> None:
    """A document's title; each document after the first starts a new page."""
    heading = doc.add_heading(_xml_safe(text), level=1)
    heading.paragraph_format.page_break_before = not first


def _preface(doc: Document, table: NegotiationTable) -> None:
    """How to read the cells, and how many clauses the filters kept."""
    para = doc.add_paragraph()
    para.add_run("Each round is redlined against the column before it: ")
    _styled(para, "deleted words struck through", Op.DELETE)
    para.add_run(", ")
    _styled(para, "inserted words underlined", Op.INSERT)
    para.add_run("; ")
    _quiet(para, "= round-2")
    para.add_run(" where the words did not change since that round.")
    if len(table.rows) != table.total:
        para.add_run(f" {len(table.rows)} of {table.total} clauses match the filters.")


def _table(doc: Document, columns: Sequence[Column], rows: Sequence[Row]) -> None:
    """Clause | Status | a column per round | Last changed by; the header row repeats on every page."""
    from docx.shared import Mm

    shown = doc.add_table(rows=1, cols=len(columns) + 3)
    shown.style = doc.styles["Table Grid"]
    shown.autofit = False
    for col, width in zip(shown.columns, _widths(len(columns)), strict=True):
        col.width = Mm(width)
    header = shown.rows[0]
    _header(header, columns)
    _repeat_header(header)
    for row in rows:
        _body_row(shown.add_row(), row)


def _widths(rounds: int) -> list[float]:
    """Column widths in millimetres, filling the page between its margins."""
    room = _PAGE_MM[0] - 2 * _MARGIN_MM - sum(_FIXED_MM.values())
    each = room / max(rounds, 1)
    return [_FIXED_MM["clause"], _FIXED_MM["status"], *([each] * rounds), _FIXED_MM["last"]]


def _header(header: _Row, columns: Sequence[Column]) -> None:
    cells = header.cells
    _bold(cells[0].paragraphs[0], "Clause")
    _bold(cells[1].paragraphs[0], "Status")
    for cell, column in zip(cells[2:-1], columns, strict=True):
        para = cell.paragraphs[0]
        _bold(para, column.name)
        for part in (column.party, column.date, column.label):
            if part:
                _quiet(para, "\n" + part, italic=False)
    _bold(cells[-1].paragraphs[0], "Last changed by")
    for cell in cells:
        _shade(cell, HEADER_FILL)


def _repeat_header(header: _Row) -> None:
    """Mark the row as the table's header (`w:tblHeader`): Word and LibreOffice repeat it on each page."""
    from docx.oxml import OxmlElement

    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    cell._tc.get_or_add_tcPr().append(shading)


def _body_row(shown: _Row, row: Row) -> None:
    """Citation (and heading title), status, each round's cell, and the round that last changed it."""
    cells = shown.cells
    citation = cells[0].paragraphs[0]
    _bold(citation, row.citation)
    if row.title and row.title != row.citation:
        citation.add_run(_xml_safe("\n" + row.title))
    cells[1].paragraphs[0].add_run(_xml_safe(status_text(row)))
    for target, cell in zip(cells[2:-1], row.cells, strict=True):
        _cell(target.paragraphs[0], cell)
    cells[-1].paragraphs[0].add_run(_xml_safe(column_text(row.last_changed)))


def _cell(para: Paragraph, cell: Cell) -> None:
    """The clause in one round: its redline as runs, its text, `= round-2` in grey, or nothing when absent."""
    if cell.redline:
        for segment in cell.redline:
            _styled(para, segment.text, segment.op)
    elif cell.mark is Mark.REMOVED:
        _quiet(para, "removed")
    elif cell.same_as:
        _quiet(para, cell_words(cell))
    elif cell.present:
        para.add_run(_xml_safe(cell.text))


def _styled(para: Paragraph, text: str, op: Op) -> None:
    """A run of a redline: deleted words struck in red, inserted words underlined in blue, the rest plain."""
    from docx.shared import RGBColor

    run = para.add_run(_xml_safe(text))
    if op is Op.DELETE:
        run.font.strike = True
        run.font.color.rgb = RGBColor(*DELETED_RGB)
    elif op is Op.INSERT:
        run.font.underline = True
        run.font.color.rgb = RGBColor(*INSERTED_RGB)


def _quiet(para: Paragraph, text: str, *, italic: bool = True) -> None:
    from docx.shared import RGBColor

    run = para.add_run(_xml_safe(text))
    run.italic = italic
    run.font.color.rgb = RGBColor(*QUIET_RGB)


def _bold(para: Paragraph, text: str) -> None:
    para.add_run(_xml_safe(text)).bold = True


def _xml_safe(text: str) -> str:
    """Replace what XML 1.0 cannot hold (left after `scrubbed`: U+FFFE, U+FFFF, lone surrogates) with U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _fixed_zip(data: bytes, stamp: datetime.datetime) -> bytes:
    """The same archive with every entry dated `stamp` (zip dates are local wall-clock time otherwise)."""
    when = stamp.astimezone(datetime.UTC).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(entry))
    return out.getvalue()
