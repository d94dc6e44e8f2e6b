"""Plain-text and JSON views of rounds, outlines, clauses and lint problems."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from regdocs.compare.model import SCHEMA
from regdocs.corpus.sources import RoundInfo
from regdocs.findings.lint import Problem, Severity
from regdocs.parse.model import Clause, ClauseKind, Document, IdSource
from regdocs.render.sanitize import json_text, one_line, scrubbed


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], limits: Sequence[int] = ()) -> str:
    cut = [
        [_clip(one_line(cell), limits[i] if i < len(limits) else 0) for i, cell in enumerate(row)]
        for row in rows
    ]
    widths = [max(len(str(r[i])) for r in [list(header), *cut]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cut]
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int) -> str:
    if not limit:
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def rounds_text(infos: Sequence[RoundInfo]) -> str:
    """Render the rounds as an aligned table."""
    if not infos:
        return "no rounds: list them under [[rounds]] in regdocs.toml or set tag_pattern\n"
    infos = scrubbed(infos)
    rows = [
        (
            i.round.name,
            i.round.date or i.authored[:10],
            i.round.party,
            i.round.label,
            i.commit[:10],
            i.author.split(" <")[0],
            i.subject,
        )
        for i in infos
    ]
    return _table(
        ("ROUND", "DATE", "PARTY", "LABEL", "COMMIT", "AUTHOR", "SUBJECT"), rows, (0, 0, 32, 32, 0, 24, 48)
    )


def rounds_json(infos: Sequence[RoundInfo]) -> str:
    """Render the rounds as JSON."""
    return _dump(
        {
            "schema": SCHEMA,
            "rounds": [
                {
                    "name": i.round.name,
                    "ref": i.round.ref,
                    "date": i.round.date,
                    "party": i.round.party,
                    "label": i.round.label,
                    "commit": i.commit,
                    "author": i.author,
                    "authored": i.authored,
                    "subject": i.subject,
                    "message": i.message,
                    "from_tag": i.round.from_tag,
                }
                for i in infos
            ],
        }
    )


def _summary(clause: Clause) -> str:
    if clause.title:
        return clause.title
    first = clause.text.split("\n\n", 1)[0]
    return _clip(first, 60)


def outline_text(docs: Sequence[Document], version: str) -> str:
    """Render documents as indented clause trees: number, id, title (or opening words)."""
    docs, version = scrubbed((tuple(docs), version))
    out: list[str] = []
    for doc in docs:
        out.append(f"{doc.id}  {doc.title}  ({doc.path}, {version})")
        rows: list[tuple[str, str, str]] = []

        def visit(clause: Clause, level: int, rows: list[tuple[str, str, str]] = rows) -> None:
            label = (
                clause.label.rstrip(".")
                if clause.number and clause.kind is not ClauseKind.PARAGRAPH
                else clause.label
            )
            rows.append(("  " * level + (label or "\u00b7"), clause.id, _summary(clause)))
            for child in clause.children:
                visit(child, level + 1)

        for clause in doc.clauses:
            visit(clause, 1)
        if rows:
            out.append(_table(("NUMBER", "ID", "TITLE"), rows, (0, 48, 70)).rstrip("\n"))
        else:
            out.append("  (no clauses)")
        out.append("")
    return "\n".join(out)


def outline_json(docs: Sequence[Document], version: str) -> str:
    """Render documents' clause trees as JSON."""

    def node(c: Clause) -> dict[str, object]:
        return {
            "id": c.id,
            "id_source": c.id_source.value,
            "number": c.label,
            "value": c.number.value if c.number else "",
            "title": c.title,
            "kind": c.kind.value,
            "line": c.line,
            "children": [node(k) for k in c.children],
        }

    return _dump(
        {
            "schema": SCHEMA,
            "version": version,
            "documents": [
                {"id": d.id, "title": d.title, "path": d.path, "clauses": [node(c) for c in d.clauses]}
                for d in docs
            ],
        }
    )


def clause_text(doc: Document, clause: Clause, version: str) -> str:
    """Render one clause and its sub-clauses as readable text with a header line."""
    doc_id, clause, version = scrubbed((doc.id, clause, version))
    head = f"{clause.label} {clause.title}".strip() or clause.id
    source = "explicit" if clause.id_source is IdSource.EXPLICIT else "derived"
    out = [
        f"{head}",
        f"  id {clause.id} ({source}) \u00b7 {doc_id} \u00b7 {clause.path}:{clause.line} \u00b7 {version}",
        "",
    ]

    def visit(c: Clause, level: int) -> None:
        pad = "    " * level
        if c is not clause:
            lead = f"{c.label} {c.title}".strip()
            body = c.text
            if c.kind is ClauseKind.HEADING:
                out.append(pad + lead)
                if body:
                    out.extend(pad + line if line else "" for line in body.split("\n"))
            else:
                lines = body.split("\n") if body else [""]
                out.append((pad + f"{lead} {lines[0]}").rstrip())
                out.extend(pad + "    " + line if line else "" for line in lines[1:])
        elif c.text:
            if c.kind is ClauseKind.HEADING:
                out.extend(c.text.split("\n"))
            else:
                lines = c.text.split("\n")
                out.append(f"{c.label} {lines[0]}".strip())
                out.extend(lines[1:])
        for child in c.children:
            visit(child, level + (0 if c is clause else 1))

    visit(clause, 0)
    return "\n".join(out).rstrip("\n") + "\n"


def plural(count: int, noun: str, many: str = "") -> str:
    """`1 file`, `2 files`: the count and the noun in the right number (`many` when not noun + s)."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def lint_text(problems: Sequence[Problem], files: int, shown: Mapping[str, str] | None = None) -> str:
    """Render lint problems as `path:line:col: severity: message [rule]` lines and a summary.

    `shown` maps a problem's corpus-relative path to the path to print (relative to the current folder).
    """
    where = shown or {}
    paths = [one_line(where.get(p.path, p.path)) for p in problems]
    problems = scrubbed(tuple(problems), multiline=())  # one line per problem, whatever its message
    lines = [
        f"{path}:{p.line}:{p.col}: {p.severity.value}: {p.message} [{p.rule}]"
        for path, p in zip(paths, problems, strict=True)
    ]
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    lines.append(f"{plural(files, 'file')} checked: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def lint_json(problems: Sequence[Problem], files: int, shown: Mapping[str, str] | None = None) -> str:
    """Render lint problems as JSON; with `shown`, each problem also gets `file` (relative to the current folder)."""
    return _dump(
        {
            "schema": SCHEMA,
            "files": files,
            "errors": sum(p.severity is Severity.ERROR for p in problems),
            "warnings": sum(p.severity is Severity.WARNING for p in problems),
            "problems": [problem_dict(p, (shown or {}).get(p.path)) for p in problems],
        }
    )


def problem_dict(p: Problem, file: str | None = None) -> dict[str, object]:
    """One lint problem as JSON data: `path` relative to the corpus, and `file` when given."""
    data: dict[str, object] = {
        "path": p.path,
        "line": p.line,
        "col": p.col,
        "severity": p.severity.value,
        "message": p.message,
        "rule": p.rule,
    }
    if file is not None:
        data["file"] = file
    return data


def _dump(data: object) -> str:
    return json_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)) + "\n"
