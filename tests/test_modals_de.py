"""German modal wording (`muss`, `hat … zu`, `darf nicht`, `soll`, `kann`) and the vocabulary files behind it.

Cases are sentences cut from the German Civil Code, in `fixtures/modals/de.toml`: what each side holds and
what changed. Every vocabulary applies to every document (no language setting): German and English modal
words do not collide, which the last test checks on every real corpus.
"""

from __future__ import annotations

import json
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SHARED

from regdocs.cli import cli
from regdocs.findings.modals import GAP, Lexicon, find_modals, read_vocabulary, shipped, strength
from regdocs.findings.text import clean, lowered, modal_findings, modals

CASES: list[dict[str, Any]] = tomllib.loads((FIXTURES / "modals" / "de.toml").read_text(encoding="utf-8"))[
    "case"
]
BGB = SHARED / "bgb" / "versions"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bgb_sentence(case: dict[str, Any]) -> None:
    assert [modals(case["old"]), modals(case["new"])] == case["modals"]
    found = modal_findings(case["old"], case["new"])
    assert [f"{f.kind} {f.severity} {f.message}" for f in found] == case["findings"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_case_is_cut_from_the_bgb(case: dict[str, Any]) -> None:
    """The old side's opening words stand in the file and near the line its source names."""
    name, line = case["source"].split(",")[0].split(" ")[0].split(":")
    path = BGB / name
    if not path.exists():
        pytest.skip("../shared/corpora is not here")
    lines = path.read_text(encoding="utf-8").splitlines()
    near = " ".join(" ".join(lines[int(line) - 3 : int(line) + 12]).split())
    assert " ".join(case["old"].split()[:6]) in near


def test_a_message_keeps_the_documents_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REGDOCS_CORPUS", raising=False)
    text = "# Gesetz\n\n## § 1747 Einwilligung\n\n(3) Die Verzichtserklärung muss öffentlich beurkundet werden.\n"
    (tmp_path / "alt.md").write_text(text, encoding="utf-8")
    (tmp_path / "neu.md").write_text(text.replace("muss", "soll"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "alt.md", "neu.md", "--format", "json"])
    assert result.exit_code == 0, result.output
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["kind"], finding["severity"]) == ("weakened", "high")
    assert finding["message"].endswith('obligation weakened: "muss" -> "soll"')
    assert finding["old"] == "Die Verzichtserklärung muss öffentlich beurkundet werden."


# --- what counts as a German modal --------------------------------------------------------------------


def test_strengths_of_the_german_vocabulary() -> None:
    assert strength("muss") == strength("müssen") == strength("hat … zu") == (3, False)
    assert strength("ist verpflichtet") == strength("sind … verpflichtet") == (3, False)
    assert strength("darf nicht") == strength("darf … nicht") == strength("kann … keine") == (3, True)
    assert strength("soll") == strength("sollen") == (2, False)  # a strong "should"
    assert strength("soll nicht") == (2, True)
    assert strength("kann") == strength("darf") == strength("ist berechtigt") == (1, False)
    assert strength("muss nicht") == strength("braucht … nicht zu") == strength("hat … nicht zu") == (1, True)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Der Schuldner hat den Schaden zu ersetzen, der entsteht.", ["hat … zu"]),
        ("Die Eltern haben alles zu unterlassen, was das Verhältnis stört.", ["haben … zu"]),
        ("Wer einen Antrag stellt, hat anzugeben: 1. die Zeit", ["hat … zu"]),  # "zu" inside the verb
        ("Er hat zu den Kosten beigetragen.", []),  # "zu den" is no infinitive
        ("Er hat die Sache zu Eigentum erworben.", []),
        ("Der Mieter hat dies nicht zu vertreten.", ["hat … nicht zu"]),
        ("Er hat den Schaden nicht selbst zu ersetzen.", ["hat … nicht zu"]),
        ("Der Schuldner ist nicht zur Zahlung verpflichtet.", ["ist … nicht verpflichtet"]),
        ("Er muss die Sache nicht herausgeben.", ["muss … nicht"]),  # "need not", never "must not"
        ("Die Einwilligung darf nicht ersetzt werden.", ["darf nicht"]),
        ("Er darf von der Sache keinen anderen Gebrauch machen.", ["darf … keinen"]),
        ("Der Vorerbe ist berechtigt und auf Verlangen verpflichtet, es zu ergänzen.", ["ist berechtigt"]),
        ("Hat der Schuldner die Pflichtverletzung zu vertreten, so muss er zahlen.", ["muss"]),  # a condition
        ("Kann der Gläubiger Schadensersatz verlangen, so mindert sich dieser.", []),
        ("das Soll und Haben der Kasse", []),  # nouns
        ("Aufwendungen, die der Mieter machen muss, hat der Vermieter zu ersetzen.", ["hat … zu"]),
        ("wenn er sie kennen muss oder kennt", []),  # a modal ending its clause describes
        ("DER KÄUFER MUSS ZAHLEN.", ["muss"]),
    ],
)
def test_german_modals(text: str, found: list[str]) -> None:
    assert modals(text) == found


def test_the_gap_is_bounded_and_stops_at_punctuation() -> None:
    words = " ".join(["Wort"] * 24)
    assert modals(f"Der Schuldner hat {words} zu leisten.") == ["hat … zu"]
    assert modals(f"Der Schuldner hat {words} Wort zu leisten.") == []  # 25 words between: too far
    assert modals("Der Schuldner hat, wenn es fällig ist, zu leisten.") == []
    assert modals("Die Leistung darf im Zweifel nicht vor der Fälligkeit erfolgen.") == ["darf … nicht"]
    assert modals("Die Leistung darf erfolgen. Sie ist nicht fällig.") == ["darf"]


def test_both_languages_apply_to_every_text() -> None:
    """No language setting: a document quoting the other language is read in both."""
    text = "The provider shall notify (§ 5: der Anbieter muss benachrichtigen) and may publish."
    assert modals(text) == ["shall", "muss", "may"]
    assert {v.language for v in shipped()} >= {"en", "de"}


# --- the vocabulary files -------------------------------------------------------------------------------


def test_every_shipped_phrase_is_rated_and_found_in_a_sentence() -> None:
    for vocabulary in shipped():
        for written, level, negative in vocabulary.phrases:
            assert strength(written) == (level, negative)
            words = written.replace(f" {GAP} ", " x ")
            infinitive = vocabulary.marker and written.endswith(f" {vocabulary.marker}")
            text = f"Er {words} tun." if infinitive else f"Er {words} x."
            assert written.lower() in [m.phrase for m in find_modals(text, lowered(text))], text


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("colour = true", "unknown keys"),
        ("[phrases]\nmandatory = ['must']", "unknown lists"),
        ("gap = [3, 1]", "gap must be"),
        ("gap = [0, 99]", "gap must be"),
        ("[phrases]\nbinding = ['…']", "is not words"),
        ("[phrases]\nbinding = ['a … b … c']", "is not words"),
        ("[phrases]\nbinding = ['two  spaces']", "is not words"),
    ],
)
def test_a_bad_vocabulary_file_is_refused(source: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        read_vocabulary("xx", source)


def test_a_phrase_in_two_vocabularies_is_refused() -> None:
    other = read_vocabulary("xx", "[phrases]\npermitted = ['shall']")
    with pytest.raises(ValueError, match="'shall' is listed twice"):
        Lexicon.build([*shipped(), other])


def test_the_vocabulary_files_ship_with_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "findings/vocabulary/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["regdocs"]


# --- hostile input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hat " * 12_500,
        "hat zu " * 8_000,
        "darf kein " * 5_000,
        "ist nicht " * 5_000,
        "kann " + "Wort " * 10_000 + "nicht",
        "hat " + "azu" * 17_000 + "n.",
        "hat " + "a" * 50_000,
        "no " * 16_000 + "may",
        "Muss " * 10_000,
    ],
    ids=["hat", "hat-zu", "darf-kein", "ist-nicht", "far-nicht", "zuzuzu", "long-word", "no", "capitals"],
)
def test_german_patterns_stay_linear(text: str) -> None:
    start = time.perf_counter()
    modals(text)
    modal_findings(text, text + " Er muss.")
    assert time.perf_counter() - start < 2


# --- no collisions on real corpora ------------------------------------------------------------------------


@pytest.mark.slow
def test_english_words_never_match_in_german_text_nor_german_words_in_english() -> None:
    if not BGB.is_dir():
        pytest.skip("../shared/corpora is not here")
    language = {p.lower(): v.language for v in shipped() for p, _, _ in v.phrases}
    corpora = {
        "de": [BGB / "09-5710c0a.md"],
        "en": sorted((SHARED / "cabforum-br" / "versions").glob("*.md"))[-1:]
        + sorted((SHARED / "github-site-policy" / "versions").glob("*.md"))[-1:]
        + sorted((ROOT / "corpus").glob("*.md")),
    }
    for expected, paths in corpora.items():
        seen: Counter[str] = Counter()
        for path in paths:
            for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
                text = clean(paragraph)
                seen.update(language[m.phrase] for m in find_modals(text, lowered(text)))
        assert set(seen) == {expected}, (expected, seen)
        assert seen[expected] > 100
