"""Clause markdown to safe HTML: no raw HTML, no dangerous links, cross-references turned into links."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markupsafe import Markup

LinkMap = Callable[[str], str | None]
"""Maps a link target (`#anchor`, `other.md#anchor`) to a site URL, or None to keep it."""


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # html=False: raw HTML is shown as text; validateLink refuses javascript:, vbscript:, file: and data: (but images)
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.disable("image")  # no remote fetches from a published page
    renderer: Any = md.renderer
    default_link_open = renderer.rules.get("link_open")

    def link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        mapper: LinkMap | None = env.get("links")
        if mapper is not None:
            mapped = mapper(href)
            if mapped is not None:
                token.attrSet("href", mapped)
        if href.startswith(("http://", "https://")):
            token.attrSet("rel", "noopener noreferrer")
        if default_link_open is not None:
            return str(default_link_open(tokens, idx, options, env))
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


def render_markdown(text: str, links: LinkMap | None = None) -> Markup:
    """Render clause markdown as HTML (markdown-it escapes all text; raw HTML is off), marked safe for Jinja."""
    from markupsafe import Markup

    if not text:
        return Markup("")
    if "[" not in text and "<" not in text:  # no link: the same HTML on every page, rendered once
        return _without_links(text)
    return Markup(_md().render(text, {"links": links}))


@lru_cache(maxsize=1 << 16)
def _without_links(text: str) -> Markup:
    """A clause text with no link in it, as HTML (most clauses, repeated unchanged across rounds)."""
    from markupsafe import Markup

    return Markup(_md().render(text, {"links": None}))


def link_text_refs(text: str, targets: list[tuple[int, int, str]]) -> str:
    """Wrap plain-text references (start, end, href) in markdown links, right to left so offsets hold."""
    for start, end, href in sorted(targets, reverse=True):
        label = text[start:end].replace("[", "\\[").replace("]", "\\]")
        text = f"{text[:start]}[{label}]({href}){text[end:]}"
    return text
