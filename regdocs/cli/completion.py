"""Shell completion: rounds and refs, documents and clauses read quietly from the corpus; any error offers nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import TYPE_CHECKING

import click

from regdocs.cli.state import Session

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from regdocs.parse.model import Corpus

Complete = Callable[[click.Context, click.Parameter, str], "list[CompletionItem]"]
"""A click `shell_complete` callback."""


def completions(find: Callable[[click.Context, Session], Iterable[str]]) -> Complete:
    """A `shell_complete` callback offering the names `find` gives that start with what was typed."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        session = Session(ctx.find_root().params.get("corpus"))
        try:
            lead, typed = range_lead(incomplete) if param.name == "spec" else ("", incomplete)
            names = sorted({n for n in find(ctx, session) if n.startswith(typed)})
            return [CompletionItem(lead + n) for n in names]
        except Exception:  # a shell's Tab must never print a traceback
            return []
        finally:
            with suppress(Exception):
                session.close()

    return complete


def range_lead(incomplete: str) -> tuple[str, str]:
    """Split `main..fea` into the finished `main..` and the ref being typed, `fea`."""
    at = incomplete.find("..")
    if at < 0:
        return "", incomplete
    end = at + (3 if incomplete[at : at + 3] == "..." else 2)
    return incomplete[:end], incomplete[end:]


def _refs(ctx: click.Context, session: Session) -> Iterable[str]:
    sources = session.sources()
    return {"HEAD", *sources.ref_names()} if sources.has_git() else set()


def _versions(ctx: click.Context, session: Session) -> Iterable[str]:
    return {r.name for r in session.sources().all_rounds()} | set(_refs(ctx, session))


def _typed(ctx: click.Context) -> tuple[str, ...]:
    return tuple(ctx.params.get("args") or ())


def _corpus_at(session: Session, spec: str | None) -> Corpus:
    from regdocs.corpus.load import load_corpus

    sources = session.sources()
    return load_corpus(sources, sources.resolve(spec))


def _doc_ids(ctx: click.Context, session: Session) -> Iterable[str]:
    return {d.id for d in _corpus_at(session, None).documents}


def _clause_ids(ctx: click.Context, session: Session) -> Iterable[str]:
    spec = _typed(ctx)[0] if len(_typed(ctx)) == 1 else None  # `show VERSION <Tab>`: that version's clauses
    corpus = _corpus_at(session, spec)
    key = ctx.params.get("doc_key") or ctx.params.get("doc")
    docs = corpus.documents if not key else [d for d in (corpus.document(key),) if d is not None]
    return {c.id for d in docs for c in d.walk()}


def _version_or_doc(ctx: click.Context, session: Session) -> Iterable[str]:
    """`outline [VERSION] [DOC]`: a version or a document first, then a document."""
    return set(_doc_ids(ctx, session)) | (set() if _typed(ctx) else set(_versions(ctx, session)))


def _version_or_clause(ctx: click.Context, session: Session) -> Iterable[str]:
    """`show [VERSION] CLAUSE`: a version or a clause first, then a clause."""
    return set(_clause_ids(ctx, session)) | (set() if _typed(ctx) else set(_versions(ctx, session)))


def folders(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Let the shell list the folders (for --corpus)."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="dir")]


COMPLETE_VERSION = completions(_versions)
COMPLETE_REF = completions(_refs)
COMPLETE_DOC = completions(_doc_ids)
COMPLETE_CLAUSE = completions(_clause_ids)
COMPLETE_VERSION_OR_DOC = completions(_version_or_doc)
COMPLETE_VERSION_OR_CLAUSE = completions(_version_or_clause)
