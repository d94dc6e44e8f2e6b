"""A compact, stable text description of a parsed document, for golden files."""

from __future__ import annotations

from regdocs.parse.model import Clause, Document


def describe(doc: Document) -> str:
    """One line per clause: indent, number, id (source), kind, line, title or text; then refs and terms."""
    out = [f"document {doc.id} title={doc.title!r} clauses={sum(1 for _ in doc.walk())}"]
    if doc.preamble:
        out.append(f"preamble {doc.preamble[:60]!r}")

    def visit(c: Clause, depth: int) -> None:
        n = c.number
        num = f"{n.label}|{n.unit or '-'}|{n.style}|{n.ordinal}" if n else "-"
        body = c.title if c.title else c.text.replace("\n", "\\n")[:60]
        out.append(
            f"{'  ' * depth}{num} [{c.id}:{c.id_source.value}] {c.kind.value}@{c.line}-{c.end_line} {body!r}"
        )
        for r in c.refs:
            out.append(f"{'  ' * depth}  ref {r.kind.value} {r.text!r} -> {r.target!r} @{r.line}:{r.col}")
        for t in c.terms:
            out.append(f"{'  ' * depth}  term {t.term!r} @{t.line}:{t.col}")
        if c.text and c.title:
            out.append(f"{'  ' * depth}  text {c.text.replace(chr(10), chr(92) + 'n')[:70]!r}")
        for k in c.children:
            visit(k, depth + 1)

    for c in doc.clauses:
        visit(c, 0)
    return "\n".join(out) + "\n"
