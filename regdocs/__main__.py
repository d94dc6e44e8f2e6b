"""`python -m regdocs`."""

from regdocs.cli import main

main()
