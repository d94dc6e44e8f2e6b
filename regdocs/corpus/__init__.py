"""Find, read and load a corpus: regdocs.toml, git refs and folders, documents at a version."""
