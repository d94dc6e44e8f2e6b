"""Compare two versions: pair clauses, redline their words, classify every change."""
