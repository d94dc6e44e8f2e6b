"""Real restructures (issue 11, item 3): renamed files, moves between documents, reworded provisions, editorial titles."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.compare.align import Method, align
from regdocs.compare.changes import compare_corpora, possible_matches
from regdocs.compare.editorial import reads_the_same, titles_read_the_same
from regdocs.compare.model import ChangeKind, DocumentStatus, Triage
from regdocs.compare.wording import words
from regdocs.findings.analysis import diff_corpora
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus, Document

AUTHENTICATION = """# V2 Authentication

## V2.1 Password Security

2.1.1. Verify that user set passwords are at least 12 characters in length after multiple spaces are combined.

2.1.2. Verify that passwords submitted during account registration, login, and password change are checked against a set of breached passwords.

## V2.2 General Authenticator Security

2.2.1. Verify that anti-automation controls are effective at mitigating breached credential testing, brute force, and account lockout attacks.
"""
"""An ASVS-like chapter: requirements under numbered sections."""


def doc(text: str, path: str = "rules.md") -> Document:
    return parse_document(text.encode(), path)


def corpus(*docs: Document) -> Corpus:
    return Corpus("T", docs, "v")


def pairs(old: str, new: str) -> dict[str, tuple[str, Method]]:
    """Old clause id -> (new clause id, method) of every 1:1 pair of two versions of a document."""
    al = align(doc(old), doc(new))
    return {al.old[i].clause.id: (al.new[j].clause.id, m) for i, (j, m, _) in al.pairs.items()}


def test_a_renamed_file_is_paired_by_its_words() -> None:
    renamed = AUTHENTICATION.replace("V2 Authentication", "V6 Authentication")
    comparison = compare_corpora(
        corpus(doc(AUTHENTICATION, "0x11-V2-Authentication.md")),
        corpus(doc(renamed, "0x15-V6-Authentication.md")),
    )
    (d,) = comparison.documents
    assert (d.status, d.old_path, d.new_path) == (
        DocumentStatus.RENAMED,
        "0x11-V2-Authentication.md",
        "0x15-V6-Authentication.md",
    )
    assert len(d.changes) == 1  # the chapter's heading, nothing else


def test_files_with_ids_of_their_own_are_not_paired_by_words() -> None:
    comparison = compare_corpora(
        corpus(doc("---\nid: sched\n---\n" + AUTHENTICATION, "sched.md")),
        corpus(doc("---\nid: annex\n---\n" + AUTHENTICATION, "annex.md")),
    )
    assert sorted((d.id, d.status) for d in comparison.documents) == [
        ("annex", DocumentStatus.ADDED),
        ("sched", DocumentStatus.REMOVED),
    ]


def test_a_requirement_moved_to_another_document_is_moved_there() -> None:
    automation = (
        "# V11 Anti-automation\n\n## V11.1 Anti-automation Controls\n\n"
        "11.1.1. Verify that the application limits the rate of requests from one client.\n\n"
        "11.1.2. Verify that anti-automation controls effectively mitigate breached credential testing, "
        "brute force and account lockout attacks.\n"
    )
    kept = AUTHENTICATION[: AUTHENTICATION.index("## V2.2")]
    diff = diff_corpora(
        corpus(doc(AUTHENTICATION, "authentication.md")),
        corpus(doc(kept, "authentication.md"), doc(automation, "automation.md")),
    )
    by_id = {d.id: d for d in diff.documents}
    assert by_id["automation"].status is DocumentStatus.ADDED
    (moved,) = [c for c in by_id["automation"].changes if c.kind is ChangeKind.MOVED]
    assert (moved.old[0].id, moved.old[0].path, moved.new[0].id) == ("2.2.1", "authentication.md", "11.1.2")
    was, now = moved.move.split(" \u2192 ")
    assert was.endswith(" in authentication.md") and now.endswith(" in automation.md"), moved.move
    assert moved.triage is Triage.SUBSTANTIVE and moved.method is Method.WORDS
    # the old document does not report it removed: the document it went to tells where it came from
    assert [(c.kind, c.old[0].id) for c in by_id["authentication"].changes] == [(ChangeKind.REMOVED, "2.2")]


def test_every_format_shows_a_move_between_documents(tmp_path: Path) -> None:
    records = "A developer shall keep records of every serious security incident for six years."
    annex = "# A. Reports\n\n(1) A report shall state the date and place of the incident.\n\n(2) A report is signed.\n"
    for side, rules in (
        ("old", f"(1) {records}\n\n(2) A developer shall appoint an officer.\n"),
        ("new", ""),
    ):
        (tmp_path / side).mkdir()
        (tmp_path / side / "rules.md").write_text(
            "# 1. Records\n\n" + (rules or "(2) A developer shall appoint an officer.\n")
        )
    (tmp_path / "old" / "annex.md").write_text(annex)
    (tmp_path / "new" / "annex-reports.md").write_text(
        annex + f"\n(3) {records.replace('A developer shall', 'Each developer must')}\n"
    )
    for fmt in ("terminal", "markdown", "html", "json"):
        result = CliRunner().invoke(
            cli, ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", fmt, "--no-pager"]
        )
        assert result.exit_code == 0, result.output
        assert "rules.md" in result.output and "annex-reports.md" in result.output, fmt
    data = json.loads(result.output)
    (annex_diff,) = [d for d in data["documents"] if d["id"] == "annex-reports"]
    assert (annex_diff["status"], annex_diff["old_path"]) == ("renamed", "annex.md")
    (change,) = annex_diff["changes"]
    assert (change["kind"], change["old"][0]["path"], change["new"][0]["path"]) == (
        "moved",
        "rules.md",
        "annex-reports.md",
    )


def test_same_number_and_title_pair_whatever_their_case() -> None:
    old = "## 5.1 PHYSICAL SECURITY CONTROLS\n\n### 5.1.1 Site location\n\nThe site is secure.\n\n## 5.2 Procedural controls\n\nText.\n"
    new = old.replace("PHYSICAL SECURITY CONTROLS", "Physical Security Controls")
    comparison = compare_corpora(corpus(doc(old)), corpus(doc(new)))
    (change,) = comparison.documents[0].changes
    assert (change.kind, change.triage, change.method) == (
        ChangeKind.MODIFIED,
        Triage.EDITORIAL,
        Method.TITLE,
    )


def test_same_number_and_title_pair_when_the_text_is_rewritten() -> None:
    old = "## 4. Reporting\n\nThe provider keeps a register of incidents and sends it yearly.\n\n## 5. Other\n\nText.\n"
    new = "## 4. Reporting\n\nEvery serious incident is notified to the Office within a day by email.\n\n## 5. Other\n\nText.\n"
    assert pairs(old, new)["4"] == ("4", Method.TITLE)


def test_punctuation_and_case_of_a_title_are_editorial() -> None:
    assert titles_read_the_same(
        "Ownership of Content and Right to Post", "Ownership of content, and right to post."
    )
    assert titles_read_the_same("**Scope**", "Scope")
    assert not titles_read_the_same("Threshold 10^26", "Threshold 10-26")  # a number keeps its punctuation
    assert not titles_read_the_same("Scope", "Scope and purpose")


def test_unicode_punctuation_link_wrapping_and_emphasis_style_are_editorial() -> None:
    for old, new in [
        ("pages 3\u20135", "pages 3-5"),
        ("A \u2014 B", "A -- B"),
        ("wait\u2026", "wait..."),
        ("non\u00adrepudiation", "nonrepudiation"),
        ("\u00abquoted\u00bb", '"quoted"'),
        ("12\u00a0hours", "12 hours"),
        ("See RFC 3647 now.", "See [RFC 3647](https://www.rfc-editor.org/rfc/rfc3647) now."),
        ("a __strong__ word", "a **strong** word"),
    ]:
        assert reads_the_same(old, new), (old, new)
    assert not reads_the_same("a \u2212 b", "a - b")  # the minus sign is a sign


def test_a_reworded_provision_pairs_by_its_rare_words() -> None:
    old = (
        "## 1. Cookies\n\n(1) Verify that cookie-based session tokens use the `__Host-` prefix so cookies are "
        "only sent to the host that initially set the cookie.\n\n"
        "## 2. Logging\n\n(1) Verify that the application does not log credentials or payment details.\n"
    )
    new = (
        "## 1. Logging\n\n(1) Verify that every logging component appropriately encodes data to prevent log "
        "injection.\n\n## 2. Cookies\n\n(1) Verify that cookies have the `__Host-` prefix for the cookie name unless "
        "they are explicitly designed to be shared with other hosts.\n"
    )
    found = pairs(old, new)
    assert found["1.1"] == ("2.1", Method.WORDS)  # token ratio, 0.33, is far too low to say
    assert "2.1" not in found  # two clauses about logging, sharing no rare word: removed and added


def test_a_clause_grown_into_a_longer_one_pairs_by_containment() -> None:
    old = "## 1. Ownership\n\nYou retain ownership of and responsibility for Content you create and post on the Service.\n\n## 2. Removal\n\nWe may remove Content that violates these terms or our policies.\n"
    new = (
        "## 1. Removal\n\nWe may remove Content that violates these terms or our policies.\n\n## 2. Ownership and licences\n\n"
        "You retain ownership of and responsibility for Content you create and post on the Service. You grant us the "
        "licences listed in sections 4 to 7, which end when you remove Your Content from our servers, unless other "
        "Users have forked it, and you receive no payment for them.\n"
    )
    assert pairs(old, new)["1"] == ("2", Method.WORDS)


def test_a_short_clause_inside_a_long_one_is_no_pair() -> None:
    old = (
        "## 1. Methods\n\nText.\n\n## 2. Constraints\n\n(1) For each name the CA confirms that the Applicant "
        "registered the domain name or was authorised by its registrant, following the validation practices.\n"
    )
    new = "## 1. Methods\n\nText.\n\n(1) an Authorization Domain Name; or\n\n## 2. Constraints\n\nNone.\n"
    assert "2.1" not in pairs(old, new)


def test_a_heading_pairs_with_no_provision() -> None:
    old = "## 1. Subordinate CA Certificates\n\n## 2. Other\n\nText.\n"
    new = "## 2. Other\n\nText.\n\n(1) Subordinate CA Certificates are issued by a root.\n"
    assert "1" not in pairs(old, new)


def test_a_piece_merged_into_a_reworded_clause_is_a_merge() -> None:
    old = (
        "### C. Acceptable Use\n\nWhile using the service, you must follow this Acceptable Use Policy.\n\n"
        "#### 1. Compliance with Laws\n\nYour use of the Website and Service must not violate any applicable laws, "
        "including copyright or trademark laws, export control or sanctions laws, or other laws in your jurisdiction.\n"
    )
    new = (
        "### C. Acceptable Use\n\nWhile using the service, you must follow the terms of this section.\n\n"
        "Your use of the Website and Service must not violate any applicable laws, including copyright or trademark "
        "laws, export control or sanctions laws, or other laws in your jurisdiction. You agree that you will not "
        "violate our [Acceptable Use Policies](https://example.com/aup) or [Community Guidelines](https://example.com/cg).\n"
    )
    al = align(doc(old), doc(new))
    assert {al.new[j].clause.id: [al.old[i].clause.id for i in g] for j, g in al.merges.items()} == {
        "c": ["c", "c.1"]
    }


def test_boilerplate_repeated_in_many_new_clauses_is_no_split() -> None:
    shared = "MUST NOT include semantics that will mislead the Relying Party about certificate information verified by the CA."
    old = f"## 1. Extensions\n\n(1) Extensions that do not apply in the public Internet; or semantics that {shared[14:]}\n"
    new = "## 1. Extensions\n\n" + "".join(f"## {k}. Profile {k}\n\n(1) {shared}\n\n" for k in range(2, 8))
    al = align(doc(old), doc(new))
    assert not al.splits


def test_children_vote_for_their_retitled_parent() -> None:
    sections = "".join(
        f"## {k}. Section {k}\n\n(1) Provision number {k} about topic {k * 7} stays.\n\n" for k in (1, 2, 3)
    )
    old = "# Part 1 \u2014 Physical security of premises\n\n" + sections
    new = "# Part 1 \u2014 Transitional arrangements and commencement\n\n" + sections
    assert pairs(old, new)["part-1"] == ("part-1", Method.WORDS)
    comparison = compare_corpora(corpus(doc(old)), corpus(doc(new)))
    assert [c.kind for c in comparison.documents[0].changes] == [ChangeKind.MODIFIED]  # no section moved


def test_possibly_the_same_clause_names_up_to_three() -> None:
    old = "## 1. Limits\n\n(1) Verify that the gateway enforces quotas, throttles bursts, rejects replays, and audits tokens.\n"
    new = (
        "## 1. Limits\n\n(1) Cookies are secure.\n\n(2) Quotas, throttles and bursts are tuned nightly.\n\n"
        "(3) Replays are rejected and audits kept daily.\n\n(4) Tokens enforce the gateway on mobile.\n"
    )
    al = align(doc(old), doc(new))
    assert not al.pairs.get(1)  # each shares a third of it: none is clearly the one
    assert possible_matches(al, "old", 1) == "1.4 (40%), 1.2 (37%), 1.3 (37%)"


def test_link_targets_and_markup_are_not_words() -> None:
    assert words(
        "See [the **guide**](https://example.com/a-guide-to-passwords) &sect; <https://x.org/y>"
    ) == [
        "see",
        "guide",
    ]
