"""regdocs: regulation documents as clauses, versions, rounds and diffs."""

__version__ = "0.1.0"
