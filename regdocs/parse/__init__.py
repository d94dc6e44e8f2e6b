"""Parse markdown into a tree of clauses: numbering, cross-references, defined terms, front matter."""
