"""Per-invocation state of the command line: the corpus location, opened lazily."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regdocs.corpus.config import CorpusConfig
    from regdocs.corpus.sources import Sources


class Session:
    """What one run of `regdocs` shares between its options and its command: the corpus, opened once."""

    def __init__(self, corpus: str | None, *, cache: bool = False) -> None:
        self.corpus_option = corpus
        """The --corpus folder as given (None: $REGDOCS_CORPUS, else the nearest regdocs.toml)."""
        self.cache = cache
        """Keep parsed documents on disk between runs (`--no-cache` turns it off)."""
        self._sources: Sources | None = None

    def config(self) -> CorpusConfig:
        """The corpus's regdocs.toml, which must exist."""
        from regdocs.corpus.config import find_corpus, load_config

        return load_config(find_corpus(self.corpus_option))

    def sources(self, *, implicit: bool = False) -> Sources:
        """The corpus's reader; with `implicit` (diff, outline, show, lint), no regdocs.toml means this folder."""
        from regdocs.corpus.config import find_config
        from regdocs.corpus.sources import Sources

        if self._sources is None:
            self._sources = Sources(find_config(self.corpus_option, implicit=implicit))
            if self.cache:
                from regdocs.corpus.cache import DocumentStore, default_folder

                self._sources.store = DocumentStore(default_folder())
        return self._sources

    def close(self) -> None:
        """Close the reader (and its git processes), if it was opened."""
        if self._sources is not None:
            self._sources.close()
