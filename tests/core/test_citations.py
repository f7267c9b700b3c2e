"""Rule citations (issue 8, item 14): the registry of rule ids → regulation and article, and a refusal's message
shown once, without the id written into it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grassroots.core import citations
from grassroots.core.citations import LOCAL, Cite, citation, cite, cn_number, plain_message, source
from grassroots.core.errors import RuleViolation

RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (7, "七"),
        (10, "十"),
        (13, "十三"),
        (20, "二十"),
        (39, "三十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ],
)
def test_article_numbers_read_as_regulations_print_them(n, text):
    assert cn_number(n) == text


@pytest.mark.parametrize("n", [0, 1000])
def test_article_number_outside_one_to_999_is_refused(n):
    with pytest.raises(ValueError):
        cn_number(n)


def test_citation_names_the_regulation_and_article_in_chinese():
    assert cite("细则2014", 13).text() == "《中国共产党发展党员工作细则》第十三条"
    assert cite("条例2018", chapter=6).text() == "《中国共产党支部工作条例（试行）》第六章"
    assert cite("细则2014").text() == "《中国共产党发展党员工作细则》"
    assert cite(LOCAL).text() == "各地规定"
    assert cite("组通字2006-45").text() == "组通字〔2006〕45号"  # a document number, not a title


def test_unknown_document_cannot_be_cited():
    with pytest.raises(ValueError):
        Cite("RULES.md")


def test_registered_rule_reads_its_sources_joined_in_order():
    assert source("REC-CANDIDATE-1Y") == "《中国共产党发展党员工作细则》第十三条"
    assert source("REC-AGE-18") == "《中国共产党章程》第一条；《中国共产党发展党员工作细则》第五条"


def test_project_rule_and_unknown_id_have_no_source():
    assert source("ORG-CODE-UNIQUE") is None and "ORG-CODE-UNIQUE" in citations.registered()
    assert source("NO-SUCH-RULE") is None


def test_registering_an_id_again_with_other_sources_is_refused():
    citations.register({"REC-CANDIDATE-1Y": (cite("细则2014", 13),)})  # the same again: fine
    with pytest.raises(ValueError):
        citations.register({"REC-CANDIDATE-1Y": (cite("细则2014", 12),)})


def test_every_rule_id_of_the_rules_index_has_its_citation_registered():
    """docs/rules.md lists every rule id the code knows; each must be registered (with sources, or `()` for a
    rule of the project's own making), so a new rule id cannot ship without its citation."""
    ids = set()
    for line in RULES_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            ids |= set(re.findall(r"`([A-Z]+(?:-[A-Z0-9]+)+)`", line.split("|")[1]))
    assert len(ids) > 40
    assert sorted(ids - citations.registered()) == []


@pytest.mark.parametrize(
    ("message", "rule_id", "plain"),
    [
        ("正式党员应填写转正时间（REC-DATES）", "REC-DATES", "正式党员应填写转正时间"),
        (
            "最早可于 2026年3月3日 确定为发展对象（REC-CANDIDATE-1Y：确定为积极分子满一年）",
            "REC-CANDIDATE-1Y",
            "最早可于 2026年3月3日 确定为发展对象（确定为积极分子满一年）",
        ),
        ("Conversion date required (REC-DATES)", "REC-DATES", "Conversion date required"),
        ("不行（TEST-1）", "TEST-1", "不行"),
        ("已拒绝（MEM-STATUS）", "REC-DATES", "已拒绝"),  # a registered id, even of another rule
        ("校验值（SHA-256）不一致", "DOC-TYPE", "校验值（SHA-256）不一致"),  # not a rule id
        (
            "书记空缺（自2026年1月1日起）（ORG-SECRETARY-1Y）",
            "ORG-SECRETARY-1Y",
            "书记空缺（自2026年1月1日起）",
        ),
    ],
)
def test_message_is_shown_once_without_the_rule_id_written_into_it(message, rule_id, plain):
    assert plain_message(message, rule_id) == plain


def test_api_body_of_a_refusal_has_the_plain_message_its_rule_id_and_source():
    exc = RuleViolation("REC-DATES", "正式党员应填写转正时间（REC-DATES）", field="converted_on")
    assert exc.as_dict() == {
        "rule_id": "REC-DATES",
        "message": "正式党员应填写转正时间",
        "source": "《中国共产党章程》第七条",
        "field": "converted_on",
    }
    assert citation("REC-DATES", exc.message).source == "《中国共产党章程》第七条"
