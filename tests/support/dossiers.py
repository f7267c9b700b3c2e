"""Recruitment dossiers built through the services (as the system scope), and reading them back."""

from __future__ import annotations

import datetime as dt

from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import Applicant, RecruitmentEvent
from tests.factories import ApplicantFactory, StepFactory

D = dt.date
ACTIVIST_ON = D(2025, 3, 3)
APPLIED_ON = D(2025, 2, 10)
BIRTH = D(1998, 4, 2)
VOTE_ON = D(2026, 10, 10)  # the first lawful branch vote of `candidate_ready`


def applicant(org, name: str, *, applied_on=APPLIED_ON, birth=BIRTH, sex="female") -> Applicant:
    return ApplicantFactory(org=org, name=name, sex=sex, birth_date=birth, applied_on=applied_on)


def step(person: Applicant, kind: str, on: dt.date, **payload) -> None:
    StepFactory(applicant=person, kind=kind, on=on, payload=payload)


def activist(tree, name="钱七", birth=BIRTH) -> Applicant:
    """An activist since 3 March 2025 with two mentors and both half-yearly assessments."""
    person = applicant(tree.a, name, birth=birth)
    step(person, "talk", D(2025, 2, 20))
    step(person, "activist_designated", ACTIVIST_ON, source="member_recommendation")
    step(person, "mentors_assigned", ACTIVIST_ON, mentors=[tree.zhang.pk, tree.li.pk])
    step(person, "assessment", D(2025, 9, 1))
    step(person, "assessment", D(2026, 2, 27))
    return person


def candidate_ready(tree):
    """A candidate whose branch vote may be held from 10 October 2026 (notice ended 9 October)."""
    person = activist(tree)
    step(person, "candidate_designated", D(2026, 3, 3))
    step(person, "sponsors_assigned", D(2026, 3, 4), sponsors=[tree.zhang.pk, tree.li.pk])
    step(person, "political_review", D(2026, 3, 5), passed=True)
    step(person, "training_completed", D(2026, 3, 6), days=3, hours=24)
    step(person, "pre_review", D(2026, 3, 9), passed=True)
    step(person, "public_notice", D(2026, 9, 28), working_days=5)
    return person


def events_of(person: Applicant) -> int:
    with unscoped():
        return RecruitmentEvent.objects.unscoped_all().filter(applicant_id=person.pk).count()


def stage_of(person: Applicant) -> str:
    with unscoped():
        return Applicant.objects.unscoped_all().get(pk=person.pk).stage


def reload(person: Applicant) -> Applicant:
    with unscoped():
        return Applicant.objects.unscoped_all().select_related("org").get(pk=person.pk)
