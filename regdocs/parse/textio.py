"""Turn file bytes into text: UTF-8 only, BOM and CRLF accepted, binary refused."""

from __future__ import annotations

from regdocs.errors import InputError


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 markdown, dropping a BOM and normalising line ends to `\\n`."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            "binary data (a NUL byte), not a markdown text file",
            path=path,
            line=line,
            hint="keep only UTF-8 markdown documents in the corpus, or exclude this file in regdocs.toml",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {col})",
            path=path,
            line=line,
            hint="re-save the file as UTF-8",
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
