"""Findings inside one clause's text: modal strength and changed numbers, on small and real sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import fast

from regdocs.findings.quantities import number_findings
from regdocs.findings.text import TextFinding, modal_findings, modals, strength

RULES = Path(__file__).resolve().parent.parent / "corpus" / "frontier-ai-security-rules.md"


def summary(findings: list[TextFinding]) -> list[tuple[str, str, str]]:
    return [(f.kind, f.severity, f.message) for f in findings]


# --- modals ---------------------------------------------------------------------------------------------


def test_modals_are_ordered_normalised_and_longest_first() -> None:
    text = "A developer Shall  not store X, SHALL keep Y, may not sell Z and need not publish it; it can."
    assert modals(text) == ["shall not", "shall", "may not", "need not", "can"]


def test_modals_skip_the_month_may_and_words_containing_modals() -> None:
    assert modals("In May 2026 and on 18 May the Office may act; Marshall cannot mustard.") == ["may"]
    assert modal_findings("Published in May 2026.", "Published in May 2027.") == []


def test_modals_see_through_markdown_emphasis() -> None:
    assert modals("A developer **shall** _not_ publish.") == ["shall not"]


def test_strength_scale() -> None:
    assert strength("shall") == strength("must") == strength("are required to") == (3, False)
    assert strength("Shall  Not") == strength("may not") == (3, True)
    assert strength("should") == strength("ought to") == strength("is recommended") == (2, False)
    assert strength("should not") == (2, True)
    assert strength("may") == strength("can") == strength("is optional") == (1, False)
    assert strength("need not") == (1, True)
    with pytest.raises(ValueError, match="not a modal phrase"):
        strength("will")


@pytest.mark.parametrize(
    ("old", "new", "kind", "severity", "message"),
    [
        (
            "A developer shall notify the Office.",
            "A developer should notify the Office.",
            "weakened",
            "high",
            'obligation weakened: "shall" -> "should"',
        ),
        (
            "A developer must use evaluation methods.",
            "A developer should use evaluation methods.",
            "weakened",
            "high",
            'obligation weakened: "must" -> "should"',
        ),
        (
            "A developer shall maintain channels.",
            "A developer may maintain channels.",
            "weakened",
            "high",
            'obligation weakened: "shall" -> "may"',
        ),
        (
            "A developer should provide training.",
            "A developer shall provide training.",
            "strengthened",
            "medium",
            'obligation strengthened: "should" -> "shall"',
        ),
        (
            "A developer may maintain channels.",
            "A developer shall maintain channels.",
            "strengthened",
            "medium",
            'obligation strengthened: "may" -> "shall"',
        ),
        (
            "A developer can report concerns.",
            "A developer is required to report concerns.",
            "strengthened",
            "medium",
            'obligation strengthened: "can" -> "is required to"',
        ),
        (
            "A developer shall not store model weights on any device outside a facility.",
            "A developer should store model weights only on devices within a facility.",
            "weakened",
            "high",
            'obligation weakened: "shall not" -> "should" (prohibition removed)',
        ),
        (
            "A developer may use third-party software components only where it has assessed them.",
            "A developer shall not use third-party software components unless it has assessed them.",
            "strengthened",
            "medium",
            'obligation strengthened: "may" -> "shall not" (negation added)',
        ),
        (
            "A developer shall publish the report.",
            "A developer shall not publish the report.",
            "negation-changed",
            "high",
            'negation changed: "shall" -> "shall not" (negation added)',
        ),
        (
            "A developer should not notify.",
            "A developer should notify.",
            "negation-changed",
            "high",
            'negation changed: "should not" -> "should" (negation removed)',
        ),
    ],
)
def test_modal_change(old: str, new: str, kind: str, severity: str, message: str) -> None:
    assert summary(modal_findings(old, new)) == [(kind, severity, message)]


def test_modal_finding_snippets_carry_context() -> None:
    (f,) = modal_findings(
        "A developer shall notify the Office promptly.", "A developer may notify the Office."
    )
    assert f.old == "A developer shall notify the Office promptly."
    assert f.new == "A developer may notify the Office."


def test_binding_modal_deleted_or_inserted_alone() -> None:
    old = "A developer shall keep a register and shall review it."
    new = "A developer shall keep a register and review it."
    (f,) = modal_findings(old, new)
    assert (f.kind, f.severity, f.message, f.new) == ("weakened", "high", 'obligation removed: "shall"', "")
    assert "shall review" in f.old
    (g,) = modal_findings(new, old)
    assert (g.kind, g.message, g.old) == ("strengthened", 'obligation added: "shall"', "")
    (h,) = modal_findings("It shall not publish, and may sell.", "It may sell.")
    assert h.message == 'prohibition removed: "shall not"'


def test_non_binding_modal_deleted_alone_is_no_finding() -> None:
    assert modal_findings("The Office may publish it and may revise it.", "The Office may publish it.") == []
    assert modal_findings("It should report.", "It reports.") == []


def test_rewording_with_the_same_modals_is_no_finding() -> None:
    # 10.3 and suspension-orders.4, reworded with the same meaning (round 3 -> round 4).
    old = (
        "A developer shall notify the Office within 30 days of becoming aware that a critical supplier has "
        "suffered a serious security incident affecting the developer's systems."
    )
    new = (
        "Where a developer becomes aware that a critical supplier has suffered a serious security incident "
        "affecting the developer's systems, the developer shall notify the Office within 30 days of becoming "
        "so aware."
    )
    assert modal_findings(old, new) == [] and number_findings(old, new) == []
    old = (
        "The Office shall revoke a suspension order as soon as it is satisfied that the risk that gave rise "
        "to the order no longer exists."
    )
    new = (
        "As soon as the Office is satisfied that the risk that gave rise to a suspension order no longer "
        "exists, it shall revoke the order."
    )
    assert modal_findings(old, new) == []


def test_a_modal_that_only_moved_within_the_clause_is_no_finding() -> None:
    old = "The Office may publish guidance, and a developer shall have regard to it."
    new = "A developer shall have regard to any guidance that the Office may publish."
    assert modal_findings(old, new) == []


def test_modals_aligned_in_a_longer_clause() -> None:
    old = "(3) A developer shall set out its plan, which it shall review, and may publish, and must sign it."
    new = "(3) A developer shall set out its plan, which it should review, and may publish, and must sign it."
    assert summary(modal_findings(old, new)) == [
        ("weakened", "high", 'obligation weakened: "shall" -> "should"')
    ]


# --- numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "severity", "message"),
    [
        (
            "A developer shall notify the Office within 72 hours of becoming aware of it.",
            "A developer shall notify the Office within 24 hours of becoming aware of it.",
            "high",
            "deadline shortened from 72 hours to 24 hours",
        ),
        (
            "notify the Office no later than 24 hours after it",
            "notify the Office no later than 72 hours after it",
            "high",
            "deadline extended from 24 hours to 72 hours",
        ),
        (
            "notify within 24 hours",
            "notify within 2 days",
            "high",
            "deadline extended from 24 hours to 2 days",
        ),
        (
            "notify within 72 hours",
            "notify within 72 days",
            "high",
            "deadline extended from 72 hours to 72 days",
        ),
        (
            "notify within seven days",
            "notify within 5 days",
            "high",
            "deadline shortened from seven days to 5 days",
        ),
        (
            "review it at least once every 90 days",
            "review it at least once every 180 days",
            "medium",
            "interval lengthened from 90 days to 180 days",
        ),
        (
            "A developer shall retain records for 10 years.",
            "A developer shall retain records for 5 years.",
            "medium",
            "period shortened from 10 years to 5 years",
        ),
        (
            "(3) The compute threshold is 10^25 integer or floating-point operations.",
            "(3) The compute threshold is 10^26 integer or floating-point operations.",
            "high",
            "threshold raised from 10^25 to 10^26 integer or floating-point operations",
        ),
        (
            "models trained with more than 10<sup>26</sup> operations (the threshold)",
            "models trained with more than 10^{25} operations (the threshold)",
            "high",
            "threshold lowered from 10^26 to 10^25 operations",
        ),
        ("a fine of $5m", "a fine of $7.5 million", "high", "amount increased from $5m to $7.5 million"),
        (
            "a fine of EUR 2 million",
            "a fine of £2,000,000",
            "high",
            "amount changed from EUR 2 million to £2,000,000",
        ),
        (
            "at least 4% of staff",
            "at least 5 percent of staff",
            "medium",
            "percentage increased from 4% to 5 percent",
        ),
        (
            "a threshold of 5 per cent",
            "a threshold of 3 per cent",
            "high",
            "threshold lowered from 5 per cent to 3 per cent",
        ),
        (
            "These Rules come into force on 1 January 2027.",
            "These Rules come into force on 1 April 2027.",
            "medium",
            "date changed from 1 January 2027 to 1 April 2027 (later)",
        ),
        (
            "publish them no later than 2027-04-01.",
            "publish them no later than 2027-01-01.",
            "high",
            "deadline brought forward from 2027-04-01 to 2027-01-01",
        ),
        (
            "submit it no later than 31 March in each year",
            "submit it no later than 30 April in each year",
            "high",
            "deadline extended from 31 March to 30 April",
        ),
        (
            "given not less than 28 days' notice",
            "given not less than 14 days' notice",
            "medium",
            "duration changed from 28 days to 14 days (shorter)",
        ),
        (
            "it operates a 24-hour helpline",
            "it operates a 12-hour helpline",
            "medium",
            "duration changed from 24-hour to 12-hour (shorter)",
        ),
        ("at most 20 users", "at most 30 users", "medium", "number changed from 20 to 30 users (higher)"),
        (
            "at most 2,500 users",
            "at most 2,500 persons",
            "medium",
            "number changed from 2,500 users to 2,500 persons",
        ),
    ],
)
def test_number_change(old: str, new: str, severity: str, message: str) -> None:
    findings = number_findings(old, new)
    assert summary(findings) == [("number-changed", severity, message)]


def test_penalty_cap_gives_two_findings() -> None:
    old = (
        "(2) The amount of a penalty shall not exceed the higher of £18,000,000 and 10 per cent of the "
        "developer's annual global turnover in its preceding financial year. {#penalty-cap}"
    )
    new = old.replace("£18,000,000", "£10,000,000").replace("10 per cent", "4 per cent")
    assert summary(number_findings(old, new)) == [
        ("number-changed", "high", "amount decreased from £18,000,000 to £10,000,000"),
        ("number-changed", "medium", "percentage decreased from 10 per cent to 4 per cent"),
    ]
    amount = number_findings(old, new)[0]
    assert amount.old == "the higher of £18,000,000 and 10 per"
    assert amount.new == "the higher of £10,000,000 and 4 per"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "(b) a decision to renew a suspension order under section 24(3); or",
            "(b) a decision to renew a suspension order under section 25(3); or",
        ),
        ("(3) notify the Office within 30 days.", "(4) notify the Office within 30 days."),
        ("3. Notify the Office within 30 days.", "4. Notify the Office within 30 days."),
        (
            "## 20. Incident notification {#incident-notification}",
            "## 21. Incident notification {#incident-notification}",
        ),
        ("measures required by sections 6 and 7", "measures required by sections 6 and 8"),
        ("checks required by paragraph (b) of section 8", "checks required by paragraph (c) of section 9"),
        (
            "see Part 2, Schedule 1, Article 5, regulation 4, rule 3, clause 9 and § 12",
            "see Part 3, Schedule 2, Article 6, regulation 5, rule 4, clause 10 and § 13",
        ),
        ("the logs maintained under 7(2)(d)", "the logs maintained under 8(2)(d)"),
        (
            "as [section 13](#capability-thresholds) requires",
            "as [section 14](#capability-thresholds) requires",
        ),
        ("within 72 hours", "within 3 days"),
        ("a cap of £10,000,000", "a cap of £10 million"),
        ("10^26 operations", "10<sup>26</sup> operations"),
        ("10^26 operations", "1e26 operations"),
        ("notify within 24 hours", "notify within one day"),
        ("at least once every 12 months", "at least once every 1 year"),
        ("notify within 30 days and report within 14 days", "report within 14 days"),
        ("The same 24 hours.", "The same 24 hours."),
    ],
)
def test_no_number_finding(old: str, new: str) -> None:
    assert number_findings(old, new) == []


def test_identical_texts_give_no_findings() -> None:
    text = RULES.read_text(encoding="utf-8")
    assert number_findings(text, text) == [] and modal_findings(text, text) == []


def test_only_the_changed_one_of_repeated_quantities_is_reported() -> None:
    old = "shall not exceed 90 days, and may be renewed once for a further period not exceeding 90 days."
    new = "shall not exceed 90 days, and may be renewed once for a further period not exceeding 60 days."
    (f,) = number_findings(old, new)
    assert f.message == "duration changed from 90 days to 60 days (shorter)"
    assert f.old.endswith("not exceeding 90 days.")


def test_deleted_quantity_without_counterpart_is_no_finding() -> None:
    assert number_findings("notify within 30 days and report within 14 days", "notify promptly") == []


# --- real changes between rounds of the bundled corpus (corpus/README.md) -------------------------------

ROUND_CHANGES = [
    (  # incident-notification.1, round 1 -> 2
        "(1) A developer shall notify the Office of a serious security incident within 24 hours of becoming aware of it.",
        "(1) A developer shall notify the Office of a serious security incident within 72 hours of becoming aware of it.",
        [("number-changed", "high", "deadline extended from 24 hours to 72 hours")],
    ),
    (  # 4.2 transitional period, round 1 -> 2
        "(2) A developer that has deployed a frontier model before the date on which these Rules come into force "
        "shall bring its security measures for that model into compliance with Part 2 within 6 months of that date.",
        "(2) A developer that has deployed a frontier model before the date on which these Rules come into force "
        "shall bring its security measures for that model into compliance with Part 2 within 12 months of that date.",
        [("number-changed", "high", "deadline extended from 6 months to 12 months")],
    ),
    (  # 7.2.c.i, nested bullet, round 1 -> 2
        "  - (i) at least once every 90 days; and",
        "  - (i) at least once every 180 days; and",
        [("number-changed", "medium", "interval lengthened from 90 days to 180 days")],
    ),
    (  # retention-period, round 2 -> 3
        "(2) A developer shall retain each record for a period of 5 years from the date on which it was created. "
        "{#retention-period}",
        "(2) A developer shall retain each record for a period of 7 years from the date on which it was created. "
        "{#retention-period}",
        [("number-changed", "medium", "period lengthened from 5 years to 7 years")],
    ),
    (  # 2.3 compute threshold, round 1 -> 2
        "(3) The compute threshold is 10^25 integer or floating-point operations, counted cumulatively across all "
        "training runs used to produce a model.",
        "(3) The compute threshold is 10^26 integer or floating-point operations, counted cumulatively across all "
        "training runs used to produce a model.",
        [
            (
                "number-changed",
                "high",
                "threshold raised from 10^25 to 10^26 integer or floating-point operations",
            )
        ],
    ),
    (  # general-security-duty.2, round 1 -> 2
        "(2) Security measures under this Part must be designed to protect model weights against theft.",
        "(2) Security measures under this Part should be designed to protect model weights against theft.",
        [("weakened", "high", 'obligation weakened: "must" -> "should"')],
    ),
    (  # model-weight-protection.2, round 1 -> 2
        "(2) A developer shall not store model weights on any device or system located outside a facility that "
        "meets the physical security requirements specified by the Office.",
        "(2) A developer should store model weights only on devices or systems located within a facility that "
        "meets the physical security requirements specified by the Office.",
        [("weakened", "high", 'obligation weakened: "shall not" -> "should" (prohibition removed)')],
    ),
    (  # 10.1, round 1 -> 2
        "(1) A developer shall take reasonable steps to ensure that its suppliers apply security measures "
        "equivalent to those required by [section 6](#model-weight-protection) and section 7.",
        "(1) A developer should take reasonable steps to ensure that its suppliers apply security measures "
        "equivalent to those required by [section 6](#model-weight-protection) and section 7.",
        [("weakened", "high", 'obligation weakened: "shall" -> "should"')],
    ),
    (  # secure-development.3, round 2 -> 3
        "(3) A developer may use third-party software components in security-critical systems only where it has "
        "assessed the security of those components.",
        "(3) A developer shall not use third-party software components in security-critical systems unless it has "
        "assessed the security of those components.",
        [("strengthened", "medium", 'obligation strengthened: "may" -> "shall not" (negation added)')],
    ),
    (  # 17.2 -> 18.2, round 2 -> 3, restores round-1 wording
        "(2) A developer may maintain channels through which users and members of the public can report concerns.",
        "(2) A developer shall maintain channels through which users and members of the public can report concerns.",
        [("strengthened", "medium", 'obligation strengthened: "may" -> "shall"')],
    ),
    (  # 26.1.b dangling cross-reference fixed, round 3 -> 4
        "(b) a suspension order, or a decision to renew a suspension order under section 24(3); or",
        "(b) a suspension order, or a decision to renew a suspension order under section 25(3); or",
        [],
    ),
    (  # 1.3 re-wrapped, emphasis style changed, round 3 -> 4
        "(3) Nothing in these Rules affects any obligation of a developer under the *Data Protection Act 2018*, "
        "the *Computer Misuse Act 1990* or the *National Security and Investment Act 2021*.",
        "(3) Nothing in these Rules affects any obligation of a developer under the\n_Data Protection Act 2018_, "
        "the _Computer Misuse Act 1990_ or the\n_National Security and Investment Act 2021_.",
        [],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), ROUND_CHANGES)
def test_round_changes_from_the_answer_key(old: str, new: str, expected: list[tuple[str, str, str]]) -> None:
    assert summary(modal_findings(old, new) + number_findings(old, new)) == expected


def paragraphs() -> list[str]:
    body = RULES.read_text(encoding="utf-8").split("---", 2)[2]
    return [p for p in body.split("\n\n") if p.strip()]


def test_renumbering_every_reference_in_the_corpus_gives_no_number_finding() -> None:
    def bump(m: re.Match[str]) -> str:
        return str(int(m.group()) + 1)

    refs = re.compile(r"(?<=section )\d+|(?<=Part )\d+|(?<=Schedule )\d+|(?<=^\()\d+|(?<=^## )\d+", re.M)
    changed = 0
    for para in paragraphs():
        bumped = refs.sub(bump, para)
        changed += bumped != para
        assert number_findings(para, bumped) == [], para
    assert changed > 100


def test_every_binding_paragraph_of_the_corpus_weakens_when_shall_becomes_should() -> None:
    for para in paragraphs():
        if " shall " in para:
            findings = modal_findings(para, para.replace(" shall ", " should ", 1))
            assert [f.kind for f in findings] == ["weakened"], para


def test_every_duration_of_the_corpus_is_found() -> None:
    for para in paragraphs():
        for m in re.finditer(r"\b(\d+) (hours|days|months|years)\b", para):
            doubled = para[: m.start()] + f"{int(m.group(1)) * 2} {m.group(2)}" + para[m.end() :]
            (f,) = number_findings(para, doubled)
            assert f"to {int(m.group(1)) * 2} {m.group(2)}" in f.message, para


# --- big input --------------------------------------------------------------------------------------------


def test_ten_megabyte_single_line_is_fast() -> None:
    big = "word " * 2_000_000
    assert fast(5.0, lambda: (number_findings(big, big), modal_findings(big, big))) == ([], [])


def test_large_input_with_many_quantities_and_modals_stays_linear() -> None:
    old = "A developer shall notify within 72 hours under section 24(3). " * 20_000
    new = old + "It may notify within 24 hours."
    found = fast(5.0, lambda: (summary(modal_findings(old, new)), number_findings(old, new)))
    assert found == ([], [])


def test_no_subject_may_is_a_prohibition() -> None:
    """ "No operator may fly" forbids; "should not" only advises against it: a weakening, not a strengthening."""
    found = modal_findings("No operator may fly an aircraft.", "An operator should not fly an aircraft.")
    assert [(f.kind, f.severity) for f in found] == [("weakened", "high")]
    assert '"no … may" -> "should not"' in found[0].message
    assert (
        modal_findings(
            "No provider or deployer shall market it.", "A provider or deployer shall not market it."
        )
        == []
    )
    assert modals("The operator may fly.") == ["may"]  # a permission stays one
    assert modals("There is no requirement that a provider may keep them.") == ["may"]  # too far from "no"


def test_is_prohibited_from_is_a_prohibition() -> None:
    found = modal_findings("A provider is prohibited from selling data.", "A provider should not sell data.")
    assert [(f.kind, f.severity) for f in found] == [("weakened", "high")]
    assert strength("are prohibited from") == (3, True)


# --- RFC 2119 capitals (the vocabulary is data: regdocs/findings/vocabulary/en.toml) ---------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "The CA MUST verify the domain.",
            "The CA SHOULD verify the domain.",
            ("weakened", "high", 'obligation weakened: "must" -> "should"'),
        ),
        (
            "The CA MUST NOT issue it.",
            "The CA SHOULD NOT issue it.",
            ("weakened", "high", 'obligation weakened: "must not" -> "should not"'),
        ),
        (
            "The CA SHALL NOT issue it.",
            "The CA MAY issue it.",
            ("weakened", "high", 'obligation weakened: "shall not" -> "may" (prohibition removed)'),
        ),
        (
            "The `digitalSignature` bit is REQUIRED for TLS 1.3.",
            "The `digitalSignature` bit is OPTIONAL for TLS 1.3.",
            ("weakened", "high", 'obligation weakened: "required" -> "is optional"'),
        ),
        (
            "| `keyEncipherment` | MUST NOT |",
            "| `keyEncipherment` | NOT RECOMMENDED |",
            ("weakened", "high", 'obligation weakened: "must not" -> "not recommended"'),
        ),
    ],
)
def test_rfc_2119_capitals(old: str, new: str, expected: tuple[str, str, str]) -> None:
    assert summary(modal_findings(old, new)) == [expected]


def test_rfc_2119_keywords_without_a_modal_count_only_in_capitals() -> None:
    assert modals("the measures required by section 6 are optional and recommended") == []
    assert modals("It is NOT REQUIRED. It is RECOMMENDED. It is OPTIONAL.") == [
        "not required",
        "is recommended",
        "is optional",
    ]
    assert strength("REQUIRED") == (3, False) and strength("not required") == (1, True)
