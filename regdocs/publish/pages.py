"""Assemble every page of the site as (path, template, context): data in, data out, no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote

from regdocs.compare.align import flatten
from regdocs.compare.cite import cite
from regdocs.compare.lineage import Lineage, alignment_count, lineages
from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, DocumentStatus, Triage
from regdocs.findings.analysis import diff_corpora
from regdocs.parse.model import Clause, ClauseKind, Document
from regdocs.parse.references import Resolver, find_refs
from regdocs.parse.terms import usage_pattern
from regdocs.publish.mdhtml import link_text_refs, render_markdown
from regdocs.publish.progress import Progress, Stage, report
from regdocs.publish.versions import SiteVersion, safe_name
from regdocs.render.history import step_label
from regdocs.render.htmlpage import sub_clause_view
from regdocs.render.summary import (
    FOLD_CLAUSES,
    KINDS,
    QUIET,
    grouped,
    headline,
    kind_counts,
    kind_label,
    shows_text,
)


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML file to write."""

    path: str
    """Path inside the site, posix, e.g. `r/round-2/rules.html`."""
    template: str
    """Template name."""
    context: dict[str, Any]
    """Template variables (the template computes nothing)."""


def anchor(clause_id: str) -> str:
    """The HTML id of a clause on its document page."""
    return "c-" + clause_id


def frag(clause_id: str) -> str:
    """The URL fragment reaching a clause."""
    return "#" + quote(anchor(clause_id), safe="-._~:")


class Site:
    """Everything needed to lay out pages: versions, lineages, diffs."""

    def __init__(
        self,
        title: str,
        versions: list[SiteVersion],
        base_url: str,
        footer: str,
        progress: Progress | None = None,
    ) -> None:
        """Compare the versions (alignments for clause histories, diffs for redline pages); `progress` hears of each."""
        self.title = title
        self.versions = versions
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.footer = footer
        self.latest = versions[-1]
        corpora = [v.corpus for v in versions]
        last = len(versions) - 1
        pairs = [(k, k + 1) for k in range(last)] + [(k, last) for k in range(last - 1)]
        total = alignment_count(corpora) + len(pairs)
        done = 0

        def step() -> None:
            nonlocal done
            done = min(done + 1, total)
            report(progress, Stage.COMPARE, done, total)

        report(progress, Stage.COMPARE, 0, total)
        self.lineages = lineages(corpora, [v.name for v in versions], step)
        self.lineage = self.lineages.by_clause
        done = total - len(pairs)  # the count of alignments is an estimate: the diffs come last, exactly
        self._flat: dict[tuple[int, str], dict[str, Any]] = {}
        self.diffs: dict[tuple[int, int], CorpusDiff] = {}
        for a, b in sorted(pairs):
            self.diffs[(a, b)] = diff_corpora(versions[a].corpus, versions[b].corpus)
            step()

    def nodes(self, k: int, doc_id: str) -> dict[str, Any]:
        """Clause id -> flattened node of a document in version k (cached: history pages ask often)."""
        key = (k, doc_id)
        if key not in self._flat:
            doc = self.versions[k].corpus.document(doc_id)
            self._flat[key] = {n.clause.id: n for n in flatten(doc)} if doc is not None else {}
        return self._flat[key]

    # -- urls ------------------------------------------------------------------

    def doc_path(self, k: int, doc_id: str, *, latest: bool = False) -> str:
        """Where a document page of version k lives."""
        if latest:
            return f"latest/{safe_name(doc_id)}.html"
        return f"r/{self.versions[k].key}/{safe_name(doc_id)}.html"

    def clause_href(self, k: int, doc_id: str, clause_id: str) -> str:
        """Site path of a clause in version k."""
        latest = k == len(self.versions) - 1
        return self.doc_path(k, doc_id, latest=latest) + frag(clause_id)

    def history_path(self, doc_id: str, lineage: Lineage) -> str:
        """Site path of a clause's history page."""
        return f"clause/{safe_name(doc_id)}/{safe_name(lineage.key)}.html"

    def changes_path(self, a: int, b: int, *, substantive: bool = False) -> str:
        """Site path of the redline page from version a to b."""
        tail = "-substantive" if substantive else ""
        return f"changes/{self.versions[a].key}--{self.versions[b].key}{tail}.html"

    def common(self, path: str, title: str, current: str = "") -> dict[str, Any]:
        """Context every page shares: relative root, navigation, canonical URL."""
        depth = path.count("/")
        nav = [
            {"href": "index.html", "text": "Rounds", "current": current == "index"},
            *(
                {"href": self.doc_path(0, d.id, latest=True), "text": d.title, "current": current == d.id}
                for d in self.latest.corpus.documents
            ),
            {"href": "glossary.html", "text": "Glossary", "current": current == "glossary"},
            {"href": "search.html", "text": "Search", "current": current == "search"},
        ]
        return {
            "root": "../" * depth,
            "page_title": title,
            "canonical": self.base_url + path if self.base_url else "",
            "site": {"title": self.title, "nav": nav, "footer": self.footer},
        }

    # -- pages -----------------------------------------------------------------

    def plan(self) -> list[Callable[[], Page]]:
        """Every page of the site, each to be laid out when called: the count is known before the work."""
        out: list[Callable[[], Page]] = [self.index_page, self.glossary_page, self.search_page]
        last = len(self.versions) - 1
        for k, version in enumerate(self.versions):
            for doc in version.corpus.documents:
                out.append(partial(self.document_page, k, doc, latest=False))
                if k == last:
                    out.append(partial(self.document_page, k, doc, latest=True))
        for a, b in sorted(self.diffs):
            out.append(partial(self.changes_page, a, b, substantive=False))
            out.append(partial(self.changes_page, a, b, substantive=True))
        seen: set[str] = set()
        for lineage in self.lineage.values():
            path = self.history_path(lineage.document, lineage)
            if path not in seen:
                seen.add(path)
                out.append(partial(self.history_page, lineage, path))
        return out

    def index_page(self) -> Page:
        """Corpus title, documents, and the timeline of rounds with change counts."""
        last = len(self.versions) - 1
        timeline = []
        for k, v in enumerate(self.versions):
            docs = v.corpus.documents
            entry: dict[str, Any] = {
                "key": v.key,
                "name": v.name,
                "label": v.label,
                "date": v.date,
                "party": v.party,
                "commit": v.commit[:10],
                "author": v.author.split(" <")[0],
                "subject": v.message.split("\n")[0],
                "href": self.doc_path(k, docs[0].id, latest=k == last) if docs else "index.html",
                "changes_href": "",
                "summary": "",
                "findings": 0,
                "latest_href": "",
            }
            if k > 0:
                diff = self.diffs[(k - 1, k)]
                counts: Counter[ChangeKind] = Counter()
                for d in diff.documents:
                    counts.update(kind_counts(d))
                entry["changes_href"] = self.changes_path(k - 1, k)
                parts = [f"{counts[kind]} {kind}" for kind in KINDS if counts[kind]]
                entry["summary"] = f"Changes since {self.versions[k - 1].name}: " + (
                    ", ".join(parts) or "none"
                )
                entry["findings"] = len(diff.findings)
            if k < last - 1:
                entry["latest_href"] = self.changes_path(k, last)
            timeline.append(entry)
        documents = [
            {
                "title": d.title,
                "href": self.doc_path(last, d.id, latest=True),
                "clauses": sum(1 for _ in d.walk()),
                "status": str(d.meta("status") or ""),
            }
            for d in self.latest.corpus.documents
        ]
        ctx = self.common("index.html", "Rounds", "index")
        ctx.update(
            latest={"name": self.latest.name, "label": self.latest.label},
            documents=documents,
            timeline=list(reversed(timeline)),
        )
        return Page("index.html", "index.html.j2", ctx)

    def document_page(self, k: int, doc: Document, *, latest: bool) -> Page:
        """A document as it stands in version k, every clause anchored and cross-references linked."""
        version = self.versions[k]
        path = self.doc_path(k, doc.id, latest=latest)
        resolver = Resolver(version.corpus.documents)
        anchors = {key: c.id for c in doc.walk() for key in (c.id, *c.anchors)}
        by_path = {d.path: d for d in version.corpus.documents}

        def links(href: str) -> str | None:
            target, _, fragment = href.partition("#")
            if not _ and not href.startswith("#"):
                return None
            if not target:
                hit = anchors.get(fragment)
                return frag(hit) if hit else None
            other = by_path.get(target.lstrip("./"))
            if other is None:
                return None
            other_anchors = {key: c.id for c in other.walk() for key in (c.id, *c.anchors)}
            hit = other_anchors.get(fragment)
            name = f"{safe_name(other.id)}.html"
            return name + (frag(hit) if hit else "")

        def node(clause: Clause, ancestors: tuple[Clause, ...]) -> dict[str, Any]:
            citation = cite(clause, ancestors)
            lineage = self.lineage.get((doc.id, k, clause.id))
            text = clause.text
            targets: list[tuple[int, int, str]] = []
            if text:
                starts = [0]
                for line in text.split("\n"):
                    starts.append(starts[-1] + len(line) + 1)
                for ref in find_refs(text, 1):
                    if ref.kind.value != "text":
                        continue
                    hit = resolver.resolve(doc, clause, ref)
                    if hit is None:
                        continue
                    start = starts[ref.line - 1] + ref.col - 1
                    if any(a <= start < b for a, b, _ in targets):
                        continue
                    if isinstance(hit, Document):
                        href = f"{safe_name(hit.id)}.html"
                    else:
                        href = (
                            frag(hit.id)
                            if hit.path == doc.path
                            else f"{safe_name(self._doc_of(version, hit).id)}.html{frag(hit.id)}"
                        )
                    targets.append((start, start + len(ref.text), href))
            heading = clause.kind is ClauseKind.HEADING
            return {
                "anchor": anchor(clause.id),
                "kind": clause.kind.value,
                "tag": f"h{min(clause.level + 1, 6)}" if heading else "div",
                "number": clause.label.rstrip(".")
                if heading and clause.number and not clause.number.unit
                else clause.label,
                "title": clause.title,
                "citation": citation,
                "html": render_markdown(link_text_refs(text, targets), links) if text else "",
                "history": self.history_path(doc.id, lineage) if lineage else "",
                "permalink": (self.base_url + self.clause_href(k, doc.id, clause.id))
                if self.base_url
                else "",
                "children": [node(c, (*ancestors, clause)) for c in clause.children],
            }

        clauses = [node(c, ()) for c in doc.clauses]
        headings = [c for c in doc.walk() if c.kind is ClauseKind.HEADING]
        top = min((c.level for c in headings), default=1)
        toc = [
            {
                "anchor": anchor(c.id),
                "number": c.label.rstrip("."),
                "title": c.title or c.id,
                "depth": min(c.level - top + 1, 4),
            }
            for c in headings
        ] or [
            {"anchor": anchor(c.id), "number": c.label, "title": (c.title or c.text)[:50], "depth": 1}
            for c in doc.clauses
        ]
        others = []
        for j, v in enumerate(self.versions):
            there = v.corpus.document(doc.id) is not None
            others.append(
                {
                    "name": v.name,
                    "current": (j == k and not latest) or (latest and j == k),
                    "href": self.doc_path(j, doc.id) if there else "",
                }
            )
        ctx = self.common(path, doc.title, doc.id if latest else "")
        ctx.update(
            doc={"title": doc.title, "id": doc.id},
            version={
                "name": version.name,
                "label": version.label,
                "date": version.date,
                "party": version.party,
            },
            metadata=[(key, _plain(value)) for key, value in doc.metadata if key not in ("id", "title")],
            preamble=render_markdown(doc.preamble, links) if doc.preamble else "",
            clauses=clauses,
            toc=toc,
            others=others,
            searchable=latest,
            changes_href=self.changes_path(k - 1, k) if k > 0 else "",
            previous=self.versions[k - 1].name if k > 0 else "",
        )
        return Page(path, "document.html.j2", ctx)

    @staticmethod
    def _doc_of(version: SiteVersion, clause: Clause) -> Document:
        return next(d for d in version.corpus.documents if d.path == clause.path)

    def changes_page(self, a: int, b: int, *, substantive: bool) -> Page:
        """The redline from version a to b: findings first, every change with previous/next links."""
        diff = self.diffs[(a, b)]
        path = self.changes_path(a, b, substantive=substantive)
        keyed: dict[tuple[str, str], str] = {}
        documents = []
        all_changes = [(d, c) for d in diff.documents for c in d.changes]
        total = len(all_changes)
        substantive_count = sum(1 for _, c in all_changes if c.triage is Triage.SUBSTANTIVE)
        counter = 0
        flat: list[dict[str, Any]] = []
        for d in diff.documents:
            shown = [c for c in d.changes if not substantive or c.triage is Triage.SUBSTANTIVE]
            if not shown and not (d.metadata and not substantive) and d.status in QUIET:
                continue
            items = []
            for change, nested in grouped(tuple(shown)):
                counter += 1
                side = (change.new or change.old)[0]
                k = b if change.new else a
                lineage = self.lineage.get((d.id, k, side.id))
                item = {
                    "anchor": f"chg-{counter}",
                    "headline": headline(change),
                    "title": side.title if side.title != headline(change) else "",
                    "kind": kind_label(change),
                    "kind_class": change.kind,
                    "note": change.note,
                    "candidate": change.candidate,
                    "nested": [(c.new or c.old)[0].citation for c in nested],
                    "segments": [(s.op.value, s.text) for s in change.redline] if shows_text(change) else [],
                    "findings": change.findings,
                    "subs": [self.sub_clause(a, b, d.id, c) for c in nested[:FOLD_CLAUSES]],
                    "more": [self.sub_clause(a, b, d.id, c) for c in nested[FOLD_CLAUSES:]],
                    "href": self.clause_href(k, d.id, side.id),
                    "history": self.history_path(d.id, lineage) if lineage else "",
                    "prev": "",
                    "next": "",
                }
                for part in (change, *nested):
                    for s in (*part.old, *part.new):
                        keyed.setdefault((d.id, s.id), str(item["anchor"]))
                items.append(item)
                flat.append(item)
            rename = f"{d.old_path} \u2192 {d.new_path}" if d.status == DocumentStatus.RENAMED else ""
            documents.append(
                {
                    "title": d.title,
                    "status": d.status,
                    "rename": rename,
                    "changes": items,
                    "metadata": d.metadata if not substantive else (),
                }
            )
        for i, item in enumerate(flat):
            item["prev"] = flat[i - 1]["anchor"] if i > 0 else ""
            item["next"] = flat[i + 1]["anchor"] if i + 1 < len(flat) else ""
        findings = [
            {
                "severity": f.severity,
                "kind": f.kind,
                "message": f.message,
                "href": keyed.get((f.document, f.clause), ""),
            }
            for f in diff.findings
        ]
        old, new = self.versions[a], self.versions[b]
        ctx = self.common(path, f"Changes {old.name} \u2192 {new.name}")
        ctx.update(
            old={"name": old.name, "label": old.label},
            new={
                "name": new.name,
                "label": new.label,
                "party": new.party,
                "date": new.date,
                "author": new.author.split(" <")[0],
                "message": new.message if b == a + 1 else "",
            },
            findings=findings,
            documents=documents,
            changes=flat,
            total=total,
            substantive=substantive_count,
            substantive_only=substantive,
            all_href=self.changes_path(a, b),
            substantive_href=self.changes_path(a, b, substantive=True),
        )
        return Page(path, "changes.html.j2", ctx)

    def sub_clause(self, a: int, b: int, doc_id: str, change: ClauseChange) -> dict[str, Any]:
        """A sub-clause added or removed with its parent, on the redline from version a to b."""
        side = (change.new or change.old)[0]
        return {**sub_clause_view(change), "href": self.clause_href(b if change.new else a, doc_id, side.id)}

    def history_page(self, lineage: Lineage, path: str) -> Page:
        """One clause in every version it lived in, with the redline between each and the round's rationale."""
        doc_id = lineage.document
        steps = []
        heading = doc_id
        for step in self.lineages.steps(lineage):
            k, segments = step.version, step.redline
            v = self.versions[k]
            nodes = self.nodes(k, doc_id)
            sides = [nodes[i] for i in step.ids if i in nodes]
            kind = step_label(step.kind, segments)
            if sides:
                heading = " + ".join(cite(n.clause, n.ancestors) for n in sides) + (
                    f" \u2014 {sides[0].clause.title}" if sides[0].clause.title else ""
                )
            steps.append(
                {
                    "anchor": f"v-{v.key}",
                    "version": v.name,
                    "label": v.label,
                    "date": v.date,
                    "party": v.party,
                    "author": v.author.split(" <")[0],
                    "commit": v.commit[:10],
                    "message": v.message,
                    "kind": kind,
                    "sides": [
                        {
                            "citation": cite(n.clause, n.ancestors),
                            "title": n.clause.title,
                            "id": n.clause.id,
                            "href": self.clause_href(k, doc_id, n.clause.id),
                        }
                        for n in sides
                    ],
                    "segments": [(s.op.value, s.text) for s in segments] if segments else [],
                    "html": render_markdown("\n\n".join(n.clause.text for n in sides)) if sides else "",
                }
            )
        doc = next(
            (v.corpus.document(doc_id) for v in reversed(self.versions) if v.corpus.document(doc_id)), None
        )
        ctx = self.common(path, f"History of {heading}")
        ctx.update(
            heading=heading,
            document=doc.title if doc else doc_id,
            steps=steps,
            ids=sorted({i for _, ids in lineage.ids for i in ids}),
        )
        return Page(path, "clause.html.j2", ctx)

    def glossary_page(self) -> Page:
        """Defined terms of the latest version, linked to their definitions and uses."""
        last = len(self.versions) - 1
        entries = []
        all_clauses = [(d, n) for d in self.latest.corpus.documents for n in flatten(d)]
        per_doc = {
            d.id: {key: c.id for c in d.walk() for key in (c.id, *c.anchors)}
            for d in self.latest.corpus.documents
        }
        for doc, n in all_clauses:
            if not n.clause.terms:
                continue
            anchors = per_doc[doc.id]

            def links(href: str, doc: Document = doc, anchors: dict[str, str] = anchors) -> str | None:
                target, sep, fragment = href.partition("#")
                hit = anchors.get(fragment) if sep and not target else None
                return self.clause_href(last, doc.id, hit) if hit else None

            for term in n.clause.terms:
                pattern = usage_pattern(term.term)
                uses = [
                    {
                        "citation": cite(m.clause, m.ancestors),
                        "href": self.clause_href(last, d2.id, m.clause.id),
                    }
                    for d2, m in all_clauses
                    if m.clause is not n.clause and pattern.search(m.clause.title + " " + m.clause.text)
                ]
                entries.append(
                    {
                        "term": term.term,
                        "anchor": "t-" + safe_name(term.term.lower()),
                        "citation": cite(n.clause, n.ancestors),
                        "href": self.clause_href(last, doc.id, n.clause.id),
                        "definition": render_markdown(" ".join(n.clause.text.split()), links),
                        "uses": uses[:40],
                        "more": max(len(uses) - 40, 0),
                    }
                )
        entries.sort(key=lambda e: str(e["term"]).lower())
        ctx = self.common("glossary.html", "Glossary", "glossary")
        ctx.update(terms=entries, version=self.latest.name)
        return Page("glossary.html", "glossary.html.j2", ctx)

    def search_page(self) -> Page:
        """Pagefind's search box."""
        return Page("search.html", "search.html.j2", self.common("search.html", "Search", "search"))


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
