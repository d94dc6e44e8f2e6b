"""A clause-per-paragraph view of a document, so that plain `git diff`, `git log -p` and `git blame` read by clause."""

from __future__ import annotations

from regdocs.compare.cite import cite
from regdocs.parse.model import Clause, Document
from regdocs.render.sanitize import one_line, scrubbed


def clause_text(doc: Document) -> str:
    """One paragraph per clause: `section 20(1) [incident-notification.1]` then its words on one line."""
    doc = scrubbed(doc)
    out: list[str] = []
    for key, value in doc.metadata:
        out.append(f"@ {key}: {one_line(str(value))}")
    if doc.metadata:
        out.append("")
    if doc.preamble:
        out += ["[preamble]", " ".join(doc.preamble.split()), ""]

    def visit(clause: Clause, ancestors: tuple[Clause, ...]) -> None:
        head = f"{cite(clause, ancestors)} [{clause.id}]"
        if clause.title:
            head += f" {clause.title}"
        out.append(head)
        if clause.text:
            out.append(" ".join(clause.text.split()))
        out.append("")
        for child in clause.children:
            visit(child, (*ancestors, clause))

    for top in doc.clauses:
        visit(top, ())
    return "\n".join(out).rstrip("\n") + "\n"
