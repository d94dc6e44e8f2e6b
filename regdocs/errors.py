"""The one exception tree: every error a user can cause, with file, line, ref and a hint."""

from __future__ import annotations


class RegdocsError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 2."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        ref: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.ref = ref
        self.hint = hint

    def __str__(self) -> str:
        """Format as one line: `path:line: message (ref X); hint`."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        text = where + self.message
        if self.ref is not None and self.ref not in self.message:
            text += f" (at {self.ref})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InputError(RegdocsError):
    """A document cannot be read: bad encoding, binary data, bad front matter, too deep."""


class ConfigError(RegdocsError):
    """regdocs.toml is missing, unreadable or inconsistent."""


class VersionError(RegdocsError):
    """A version spec (round, git ref, folder) cannot be resolved."""


class ClauseNotFound(RegdocsError):
    """A clause id or number matches nothing, or more than one clause."""


class ProblemsError(RegdocsError):
    """Several problems at once: validation collects them all, then fails once."""

    def __init__(self, errors: list[RegdocsError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors

    def __str__(self) -> str:
        """Format as one line per problem."""
        return "\n".join(str(e) for e in self.errors)
