"""The static site for readers: every round, permalinks, redlines, clause histories, glossary, search."""
