"""Workflows on a git repository: review a pull request, follow a clause's history, record rounds, wire git."""
