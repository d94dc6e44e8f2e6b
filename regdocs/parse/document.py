"""Parse one markdown document into a tree of clauses."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from regdocs.gcpause import gc_paused
from regdocs.parse.frontmatter import split_front_matter
from regdocs.parse.ids import clause_id, github_slug, heading_paths, needs_container_qualifier
from regdocs.parse.model import Clause, ClauseKind, CrossRef, DefinedTerm, Document, IdSource
from regdocs.parse.references import find_refs, reference_starts
from regdocs.parse.terms import find_terms
from regdocs.parse.textio import decode
from regdocs.parse.tree import MAX_NESTING, Node, TreeBuilder
from regdocs.parse.units import CONTAINER_UNITS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HEADING_RE = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)")
_SETEXT_RE = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*$")


@lru_cache(maxsize=8)
def _markdown(skip: frozenset[str] = frozenset()) -> MarkdownIt:
    """The block parser, without the rules in `skip` (see `_impossible_rules`)."""
    from markdown_it import MarkdownIt

    _quiet_block_rules()
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    md.block.ruler.before(
        "html_block", "comment_block", _comment_block, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    if skip:
        md.block.ruler.disable(sorted(skip))
    return md


def _impossible_rules(source: str) -> frozenset[str]:
    """Block rules that cannot match anywhere in `source`: leaving them out changes no token.

    markdown-it tries every block rule at every line, and again as a paragraph terminator at each of its
    lines; a 1 MB document of short sections and no tables, quotes, fences or HTML spends a third of its
    tokenising on rules that never match.
    """
    skip = []
    if "|" not in source:
        skip.append("table")  # a table's delimiter row holds a pipe
    if "```" not in source and "~~~" not in source:
        skip.append("fence")
    if ">" not in source:
        skip.append("blockquote")
    if "<" not in source:
        skip += ["html_block", "comment_block"]
    if "]:" not in source:
        skip.append("reference")  # `[label]: destination`
    if "\t" not in source and "    " not in source:
        skip.append("code")  # four columns of indent, also after a list marker or a `>`
    return frozenset(skip)


class _Quiet:
    """A logger that drops `debug` calls: markdown-it's block rules make one per rule tried per line."""

    def debug(self, *args: object, **kwargs: object) -> None:
        """Do nothing."""


def _quiet_block_rules() -> None:
    """Swap the module loggers of markdown-it's block parser (imported by now) for `_Quiet`, unless on.

    `logging.Logger.debug` costs a call and a level check even when off: 300,000 calls, 8% of tokenising
    a 1 MB document of short sections.
    """
    import logging
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith(("markdown_it.rules_block.", "markdown_it.parser_block")):
            continue
        logger = getattr(module, "LOGGER", None)
        if isinstance(logger, logging.Logger) and not logger.isEnabledFor(logging.DEBUG):
            module.LOGGER = _Quiet()  # type: ignore[attr-defined]


def _comment_block(state: Any, start: int, end: int, silent: bool) -> bool:
    """CommonMark's HTML block of type 2 (`<!--` ... `-->`), the one kind of HTML a reader never sees.

    Other raw HTML stays text (`html` is off); a `<!--` inside a paragraph or a code span is no comment.
    """
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("<!--", pos, state.eMarks[start]):
        return False
    if silent:
        return True
    line = start + 1
    if state.src.find("-->", pos, state.eMarks[start]) < 0:
        while line < end:
            if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
                break
            found = state.src.find("-->", state.bMarks[line] + state.tShift[line], state.eMarks[line]) >= 0
            line += 1
            if found:
                break
    state.line = line
    token = state.push("html_block", "", 0)
    token.map = [start, line]
    token.content = state.getLines(start, line, state.blkIndent, True)
    return True


def parse_document(data: bytes | str, path: str, *, blob: str = "") -> Document:
    """Parse a markdown document (bytes from disk or git, or text) into a Document."""
    with gc_paused():
        return _parse(data, path, blob)


def _parse(data: bytes | str, path: str, blob: str) -> Document:
    text = data if isinstance(data, str) else decode(data, path)
    line_count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    front, body = split_front_matter(text, path)
    del text  # big documents: keep as few copies of the text alive as possible
    fm_lines = front.lines
    source = "\n" * fm_lines + body if fm_lines else body
    del body
    lines = source.split("\n")
    hidden: set[int] = set()
    nodes = _build(_token_chunks(source, lines), lines, path, hidden)
    meta = dict(front.data)
    stem = path.removesuffix(".md")  # `eu/rules.md` -> `eu/rules`, so same-named files in two folders differ
    doc_id = str(meta.get("id") or stem)
    clauses = _freeze(nodes, lines, path, source, hidden)
    del source
    first = nodes[0].start if nodes else len(lines)
    preamble = _clean("\n".join(lines[n] for n in range(fm_lines, first) if n not in hidden))
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        title = next((c.title for c in clauses if c.kind is ClauseKind.HEADING and c.title), doc_id)
    return Document(
        id=doc_id,
        title=str(title),
        path=path,
        clauses=clauses,
        preamble=preamble,
        metadata=front.data,
        front_matter_lines=fm_lines,
        line_count=line_count,
        blob=blob,
    )


CHUNK_LINES = 20_000
"""Documents longer than this are tokenised in stretches, so that markdown-it's tokens never all exist at once."""


def _token_chunks(source: str, lines: list[str], chunk: int = CHUNK_LINES) -> Iterator[list[Any]]:
    """Block tokens with absolute line maps, one stretch at a time, cut only before top-level headings."""
    from markdown_it.rules_block import StateBlock

    md = _markdown(_impossible_rules(source))
    if len(lines) <= chunk:
        tokens: list[Any] = []
        md.block.parse(source, md, {}, tokens)
        yield tokens
        return
    if any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        # a fence could hide a `#` line; reading fences right is markdown-it's job, so read such a document whole
        cuts = [0]
    else:
        # with no fences, a non-blank line at column 0 after a blank line always starts a new block
        cuts = [0]
        for n, line in enumerate(lines):
            if n - cuts[-1] >= chunk and line.startswith("#") and not lines[n - 1].strip():
                cuts.append(n)
    cuts.append(len(lines))
    state = StateBlock(source, md, {}, [])
    for start, end in pairwise(cuts):
        state.tokens = []
        md.block.tokenize(state, start, min(end, state.lineMax))
        yield state.tokens


def _build(chunks: Iterable[list[Any]], lines: list[str], path: str, hidden: set[int]) -> list[Node]:
    """Walk block tokens once, stretch by stretch; return clause nodes in document order (roots flagged).

    Lines of HTML comment blocks go into `hidden`: a reader never sees them, so no clause text holds them; nor
    the header rows of tables of provisions.
    """
    builder = TreeBuilder(lines, path)
    for tokens in chunks:
        for tok in tokens:
            if tok.type == "html_block" and not _without_comments(tok.content).strip():
                hidden.update(range(tok.map[0], tok.map[1]))
        builder.feed(tokens)
    for start, end in builder.cut:
        hidden.update(range(start, end))  # a table of rows: its header row is named in each row's attributes
    return builder.nodes


def _without_comments(text: str) -> str:
    """Text with every `<!--` ... `-->` removed, as a browser reads it (an unclosed comment runs to the end)."""
    out: list[str] = []
    at = 0
    while (start := text.find("<!--", at)) >= 0:
        out.append(text[at:start])
        stop = text.find("-->", start + 2)  # `<!-->` is a whole (empty) comment
        if stop < 0:
            return "".join(out)
        at = stop + 3
    out.append(text[at:])
    return "".join(out)


def _freeze(
    nodes: list[Node], lines: list[str], path: str, source: str, hidden: set[int]
) -> tuple[Clause, ...]:
    """Cut each node's own text from the source and build frozen Clauses with ids."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    starts = reference_starts(source)
    hooks = _positions(source, ("](", "mean", "refer", "defined"))
    top = [n for n in nodes if n.root]
    used: dict[str, int] = {}
    explicit = {n.explicit_id for n in nodes if n.explicit_id}
    # a heading numbered `5.1` has that id: no list item or paragraph above it takes it first
    reserved = explicit | heading_paths(nodes)
    qualify = needs_container_qualifier(top)
    # Two passes over the nodes instead of a recursive closure (a reference cycle that would keep every
    # line alive until the next garbage collection): ids in document order, where each node's parent
    # comes first, then clauses in reverse order, where its children come first.
    where: dict[int, tuple[str, str]] = {id(n): ("", "") for n in top}  # parent id, container id
    ids: list[tuple[str, IdSource]] = []
    for node in nodes:
        parent_id, in_container = where.pop(id(node))
        blocked = reserved if node.kind is ClauseKind.ITEM or node.kind is ClauseKind.PARAGRAPH else explicit
        cid, source_of_id = clause_id(node, parent_id, in_container, used, blocked)
        ids.append((cid, source_of_id))
        container = node.number is None if node.kind is ClauseKind.HEADING else False
        if node.number and node.number.unit in CONTAINER_UNITS:
            container = not qualify
        below = ("", cid) if container else (cid, in_container)
        for child in node.children:
            where[id(child)] = below
    built: dict[int, Clause] = {}
    for k in range(len(nodes) - 1, -1, -1):
        node = nodes[k]
        start, end = node.start, nodes[k + 1].start if k + 1 < len(nodes) else len(lines)
        if node.stop >= 0:
            end = min(end, node.stop)
        own = lines[start:end]
        base, limit = offsets[start], offsets[end] if end < len(offsets) else offsets[-1]
        lo, hi = bisect_left(starts, base), bisect_left(starts, limit)
        scan = hi > lo or bisect_left(hooks, limit) > bisect_left(hooks, base)
        raw = "\n".join(own) if scan else ""
        mine: list[int] = []
        if hi > lo:
            skip = _number_span(node, own[0]) if own else (0, 0)
            mine = [p - base for p in starts[lo:hi] if not skip[0] <= p - base < skip[1]]
        visible = own
        if hidden and own:
            visible = [own[0], *(ln for n, ln in enumerate(own[1:], start + 1) if n not in hidden)]
        slugs: tuple[str, ...] = ()
        if node.kind is ClauseKind.HEADING:
            full = ((node.number.label + " ") if node.number else "") + node.title
            slugs = (github_slug(full),)
        last = end
        while last > start + 1 and not lines[last - 1].strip():
            last -= 1
        text = node.row.text if node.row else _own_text(node, visible)
        refs = find_refs(raw, start + 1, mine) if scan else ()
        terms = find_terms(raw, start + 1) if scan else ()
        for tail in node.tails or ():
            after = tail[1] if tail[1] >= 0 else len(lines)
            more, more_refs, more_terms = _stretch(lines, tail[0], after, offsets, starts, hooks, hidden)
            text = f"{text}\n\n{more}" if text and more else text or more
            refs, terms = refs + more_refs, terms + more_terms
        built[id(node)] = Clause(
            id=ids[k][0],
            id_source=ids[k][1],
            number=node.number,
            title=_title_without_comments(node.title),
            text=text,
            kind=node.kind,
            level=node.level,
            path=path,
            line=start + 1,
            end_line=last,
            children=tuple(built.pop(id(c)) for c in node.children),
            refs=refs,
            terms=terms,
            anchors=slugs,
            attributes=node.row.attributes if node.row else (),
        )
    return tuple(built.pop(id(n)) for n in top)


def _stretch(
    lines: list[str],
    start: int,
    end: int,
    offsets: list[int],
    starts: list[int],
    hooks: list[int],
    hidden: set[int],
) -> tuple[str, tuple[CrossRef, ...], tuple[DefinedTerm, ...]]:
    """Text, references and terms of lines that continue a clause's own text after a table of its rows."""
    own = lines[start:end]
    base, limit = offsets[start], offsets[end] if end < len(offsets) else offsets[-1]
    lo, hi = bisect_left(starts, base), bisect_left(starts, limit)
    scan = hi > lo or bisect_left(hooks, limit) > bisect_left(hooks, base)
    raw = "\n".join(own) if scan else ""
    refs = find_refs(raw, start + 1, [p - base for p in starts[lo:hi]]) if scan else ()
    terms = find_terms(raw, start + 1) if scan else ()
    return _clean("\n".join(line for n, line in enumerate(own, start) if n not in hidden)), refs, terms


def _positions(text: str, needles: tuple[str, ...]) -> list[int]:
    """Sorted offsets of every occurrence of any needle."""
    found: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    found.sort()
    return found


def _number_span(node: Node, first: str) -> tuple[int, int]:
    """Where a clause's own number sits on its first line (`Part 2` is not a reference to itself)."""
    if node.number is None:
        return (0, 0)
    at = first.find(node.number.label)
    return (0, 0) if at < 0 else (at, at + len(node.number.label))


def _own_text(node: Node, own: list[str]) -> str:
    """The clause's body: number, list marker, heading marks and `{#id}` removed."""
    if not own:
        return ""
    if node.kind is ClauseKind.HEADING:
        body = own[1:]
        if body and _SETEXT_RE.match(body[0]) and not _HEADING_RE.match(own[0]):
            body = body[1:]
        return _clean("\n".join(body))
    first = own[0]
    if node.kind is ClauseKind.PARAGRAPH:
        stripped = first.lstrip()
        first = stripped[node.strip :]
        rest = own[1:]
    else:
        first = first[node.strip :]
        rest = [_dedent(line, node.indent) for line in own[1:]]
    text = "\n".join([first, *rest])
    if node.explicit_id:
        text = text.replace("{#" + node.explicit_id + "}", "", 1)
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _clean(text)


def _dedent(line: str, width: int) -> str:
    k = 0
    while k < width and k < len(line) and line[k] == " ":
        k += 1
    return line[k:]


def _title_without_comments(title: str) -> str:
    """A heading's inline `<!-- ... -->` is hidden HTML unless a code span holds it."""
    if "<!--" not in title or "`" in title:
        return title
    return " ".join(_without_comments(title).split())


def _clean(text: str) -> str:
    text = text.strip("\n")
    if "\n\n\n" in text:
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
