"""Rule citations as people read them (issue 8, item 14): a refusal shows its message in Chinese once, then
依据：《中国共产党发展党员工作细则》第十三条, with the rule id once, as a small label; the API keeps `rule_id` and
`message` and adds `source`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.support.dossiers import activist, events_of, stage_of
from tests.support.personas import client_for
from tests.support.road import CANDIDATE, apply, refused, steps, walk

CITED = "《中国共产党发展党员工作细则》第十三条"


def test_api_refusal_names_its_source_beside_the_plain_message_and_saves_nothing(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:4])  # the second assessment would date 24 March
    early = {"event": "candidate_designated", "on": (CANDIDATE - dt.timedelta(days=1)).isoformat()}
    body = refused(secretary, applicant_id, early, "REC-CANDIDATE-1Y")  # 422, the dossier unchanged
    assert body["source"] == CITED
    assert "REC-" not in body["message"]
    assert body["message"] == "最早可于 2026年3月24日 确定为发展对象（确定为积极分子满一年）"


def test_api_refusal_of_a_project_rule_has_a_null_source(tree, secretary):
    response = secretary.post(
        "/recruitment/applicants",
        {
            "org": tree.a.code,
            "name": "",
            "sex": "male",
            "birth_date": "1990-01-01",
            "applied_on": "2025-03-01",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["rule_id"] == "API-VALIDATION" and body["source"] is None


@pytest.mark.django_db
def test_page_refusal_shows_message_once_then_regulation_and_article_and_the_rule_id_once(tree, personas):
    person = activist(tree)
    before = events_of(person)
    url = reverse("recruitment:event", args=[person.pk]) + "?event=candidate_designated"
    response = client_for("secretary_a").post(url, {"event": "candidate_designated", "on": "2026-03-02"})
    html = response.content.decode()
    alert = re.search(
        r'<div class="alert alert-danger" role="alert" id="refusal">(.*?)</div>\s*</div>', html, re.S
    )[1]
    text = re.sub(r"<[^>]+>", "", alert)
    assert text.count("最早可于 2026年3月3日") == 1
    assert f"依据：{CITED}" in text
    assert html.count("REC-CANDIDATE-1Y") == 1
    assert re.search(r'<span class="rule-id"[^>]*>REC-CANDIDATE-1Y</span>', alert)
    assert text.index("最早可于") < text.index("依据") < text.index("REC-CANDIDATE-1Y")
    assert events_of(person) == before and stage_of(person) == "activist"
