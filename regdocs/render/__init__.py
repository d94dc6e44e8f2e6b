"""Renderers: pure functions from the model to text (terminal, markdown, JSON)."""
