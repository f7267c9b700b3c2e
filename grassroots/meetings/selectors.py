"""Every read of organizational life; every function takes the caller's scope.

Who should attend a meeting (`expected_roster`) is derived here from the org, the kind and the meeting date —
the server's fact, never the client's number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from grassroots.core import permissions
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.choices import ACTIVE_STATUSES, MemberStatus
from grassroots.members.models import Member
from grassroots.members.selectors import own_member
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import CommitteeMember, Org, OrgCommittee

from . import rules
from .choices import AppraisalGrade, MeetingKind, MeetingStatus, UnqualifiedHandling
from .models import AppraisalRecord, Attendance, Meeting, MeetingPolicy, Minutes, MinutesAmendment, Vote

# Who arranges meetings and records attendance, votes and minutes: the roles that edit member records.
MEETING_EDIT = permissions.MEMBER_EDIT
# Who reads an org's meetings, minutes and attendance.
MEETING_VIEW = permissions.MEMBER_VIEW

# The org kinds that may hold each kind of meeting (a committee meeting also needs a committee on the day).
HOLDERS: dict[str, frozenset[str]] = {
    MeetingKind.GENERAL_MEETING: frozenset({OrgKind.BRANCH, OrgKind.GENERAL_BRANCH}),
    MeetingKind.ORG_LIFE_MEETING: frozenset({OrgKind.BRANCH, OrgKind.GENERAL_BRANCH}),
    MeetingKind.APPRAISAL: frozenset({OrgKind.BRANCH, OrgKind.GENERAL_BRANCH}),
    MeetingKind.GROUP_MEETING: frozenset({OrgKind.GROUP}),
    MeetingKind.COMMITTEE_MEETING: frozenset(
        {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE}
    ),
    MeetingKind.PARTY_LECTURE: frozenset(
        {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE}
    ),
    MeetingKind.THEMED_DAY: frozenset(
        {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE}
    ),
}


@dataclass(frozen=True)
class Policy:
    """The meeting policy in force (RULES.md *policy* values; the defaults when no row is stored)."""

    lectures_per_quarter: int = 1
    minutes_late_days: int = 7
    sign_in_opens_before_minutes: int = 30
    sign_in_closes_after_minutes: int = 60
    code_step_seconds: int = 30
    lapse_warn_months: int = 3
    lapse_months: int = 6


POLICY_FIELDS = tuple(Policy.__dataclass_fields__)


def _path_prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(Org.steplen, len(path) + 1, Org.steplen)]


def policy_row(org: Org, on: dt.date) -> MeetingPolicy | None:
    """The stored policy in force for `org` on `on`: the deepest org on its path with a row on or before `on`,
    its latest. Policies restate rules every org applies, so this reads unscoped. None: the defaults."""
    with unscoped():
        rows = list(
            MeetingPolicy.objects.unscoped_all()
            .filter(org__path__in=_path_prefixes(org.path), effective_from__lte=on)
            .select_related("org")
        )
    if not rows:
        return None
    return max(rows, key=lambda r: (len(r.org.path), r.effective_from, r.pk))


def policy_of_row(row: MeetingPolicy | None) -> Policy:
    if row is None:
        return Policy()
    return Policy(**{name: getattr(row, name) for name in POLICY_FIELDS})


def policy_for(org: Org, on: dt.date) -> Policy:
    """The policy in force for `org` on `on`, or the defaults of RULES.md."""
    return policy_of_row(policy_row(org, on))


def policy_history(org: Org) -> list[MeetingPolicy]:
    """The stored policy rows that apply to `org` (its own and its ancestors'), newest first."""
    with unscoped():
        return list(
            MeetingPolicy.objects.unscoped_all()
            .filter(org__path__in=_path_prefixes(org.path))
            .select_related("org", "created_by")
            .order_by("-effective_from", "-id")
        )


def _active_on(on: dt.date) -> Q:
    """Members counted on `on`: in the roster now, admitted on or before `on`, not ended before it."""
    return Q(status__in=ACTIVE_STATUSES, admitted_on__lte=on) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def committee_on(org: Org, on: dt.date) -> OrgCommittee | None:
    """The committee of `org` in office on `on` (elected on or before it, not replaced before it)."""
    with unscoped():
        return (
            OrgCommittee.objects.unscoped_all()
            .filter(org=org, elected_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .order_by("-elected_on")
            .first()
        )


def expected_roster(org: Org, kind: str, on: dt.date) -> list[tuple[int, bool]]:
    """Who should attend a meeting of `kind` held by `org` on `on`, as (member id, has a vote), in name order.

    - general meeting, organizational life meeting, appraisal: the org's own members;
    - committee meeting: the members holding a post on the committee in office that day;
    - group meeting: the members assigned to the group;
    - party lecture, themed day: every member of the org's subtree.
    Probationary members attend and have no vote; a full member under 留党察看 has no vote either.
    Internal to the services (the meeting's org is already authorized), so it reads unscoped.
    """
    with unscoped():
        members = Member.objects.unscoped_all()
        if kind == MeetingKind.COMMITTEE_MEETING:
            committee = committee_on(org, on)
            if committee is None:
                return []
            ids = (
                CommitteeMember.objects.unscoped_all()
                .filter(committee=committee, started_on__lte=on)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                .values_list("member_id", flat=True)
            )
            rows = members.filter(_active_on(on), pk__in=list(ids))
        elif kind == MeetingKind.GROUP_MEETING:
            rows = members.filter(_active_on(on), party_group=org)
        elif kind in (MeetingKind.PARTY_LECTURE, MeetingKind.THEMED_DAY):
            rows = members.filter(_active_on(on), org__path__startswith=org.path)
        else:
            rows = members.filter(_active_on(on), org=org)
        out = []
        for pk, status, probation_from, probation_until in rows.order_by("name_sort", "id").values_list(
            "pk", "status", "disciplinary_probation_from", "disciplinary_probation_until"
        ):
            under_probation = (
                probation_from is not None
                and probation_from <= on
                and (probation_until is None or on < probation_until)
            )
            out.append((pk, status == MemberStatus.FULL and not under_probation))
        return out


def meeting_get(*, scope: Scope, meeting_id: int, roles: frozenset[str] | None = None) -> Meeting:
    """A meeting the caller may read (NotFound when missing or outside the scope); with `roles`,
    PermissionDenied unless the caller has one of them at the meeting's org."""
    meeting = (
        Meeting.objects.within(scope)
        .filter(pk=meeting_id)
        .select_related("org", "convener", "recorder", "minutes")
        .first()
    )
    if meeting is None:
        raise NotFound
    permissions.require(scope, roles or MEETING_VIEW, meeting.org.path)
    return meeting


def meeting_list(
    *,
    scope: Scope,
    org: Org | None = None,
    kinds: Iterable[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Meeting]:
    """Meetings in the caller's scope (of `org`'s subtree when given), newest first."""
    qs = Meeting.objects.within(scope).select_related("org", "minutes")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    kinds = list(kinds)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if since is not None:
        qs = qs.filter(planned_on__gte=since)
    if until is not None:
        qs = qs.filter(planned_on__lte=until)
    return qs.order_by("-planned_on", "-id")


VOTE_MEETING_DAYS = 366


def vote_meeting_choices(*, scope: Scope, org: Org, around: dt.date) -> list[tuple[int, str]]:
    """The general meetings of `org` a vote on the day `around` may be recorded from: not cancelled, planned
    within VOTE_MEETING_DAYS days before it and not after it (nor after today, if later), newest first, as
    (id, "date 主题") pairs for a picker."""
    since = around - dt.timedelta(days=VOTE_MEETING_DAYS)
    until = max(around, timezone.localdate())
    rows = (
        Meeting.objects.within(scope)
        .filter(org=org, kind=MeetingKind.GENERAL_MEETING, planned_on__gte=since, planned_on__lte=until)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-planned_on", "-id")
        .values_list("pk", "held_on", "planned_on", "topic")
    )
    return [(pk, f"{(held or planned).isoformat()} {topic}") for pk, held, planned, topic in rows]


def talk_list(*, scope: Scope, org: Org | None = None, year: int | None = None):
    """Talks in the caller's scope (of `org`'s subtree when given; of one year), newest first."""
    from .models import Talk

    qs = Talk.objects.within(scope).select_related("org", "initiator", "counterpart")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-id")


def member_choices(*, scope: Scope, org: Org) -> list[tuple[int, str]]:
    """The active members of `org`'s subtree as (id, name) in pinyin order: the choices of the talk and
    excusal forms (one query)."""
    return list(
        Member.objects.within(scope)
        .filter(org__path__startswith=org.path, status__in=ACTIVE_STATUSES)
        .order_by("name_sort", "id")
        .values_list("pk", "name")
    )


def member_in(*, scope: Scope, org: Org, member_id: int) -> Member | None:
    """A member of `org`'s subtree the caller may read, or None (the service refuses it on its field)."""
    return Member.objects.within(scope).filter(pk=member_id, org__path__startswith=org.path).first()


# ---------------------------------------------------------------------------------------------------------
# The minutes of one meeting, its amendments, votes and appraisal grades (the meeting already authorized by
# `meeting_get`, so these read unscoped).


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes (with who finalized and confirmed them)."""
    with unscoped():
        return (
            Minutes.objects.unscoped_all()
            .filter(meeting=meeting)
            .select_related("finalized_by", "confirmed_by")
            .first()
        )


def amendments_of(meeting: Meeting) -> list[MinutesAmendment]:
    """The amendments of the meeting's minutes, oldest first."""
    with unscoped():
        return list(
            MinutesAmendment.objects.unscoped_all()
            .filter(minutes__meeting=meeting)
            .order_by("created_at", "id")
        )


def votes_of(meeting: Meeting) -> list[Vote]:
    """The votes taken at the meeting, in the order taken."""
    with unscoped():
        return list(
            Vote.objects.unscoped_all().filter(meeting=meeting).select_related("member").order_by("sequence")
        )


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def appraisal_rows(meeting: Meeting) -> list[dict]:
    """One row per member of an appraisal meeting's roster, with the grade recorded so far (if any)."""
    with unscoped():
        roster = list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True)
            .order_by("member__name_sort", "member_id")
            .values("member_id", "member__name")
        )
        grades = {
            row["member_id"]: row
            for row in AppraisalRecord.objects.unscoped_all()
            .filter(meeting=meeting)
            .values("member_id", "grade", "handling", "note")
        }
    return [
        {
            "member": row["member_id"],
            "name": row["member__name"],
            "grade": grades.get(row["member_id"], {}).get("grade", ""),
            "handling": grades.get(row["member_id"], {}).get("handling", ""),
            "note": grades.get(row["member_id"], {}).get("note", ""),
            "grade_label": _label(AppraisalGrade, grades.get(row["member_id"], {}).get("grade", "")),
            "handling_label": _label(
                UnqualifiedHandling, grades.get(row["member_id"], {}).get("handling", "")
            ),
        }
        for row in roster
    ]


def present_member_ids(meeting: Meeting) -> list[int]:
    """The members recorded present at the meeting (expected or guests), by id: the roster a recruitment vote
    taken at the meeting starts from."""
    with unscoped():
        return list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, status="present")
            .order_by("member_id")
            .values_list("member_id", flat=True)
        )


# ---------------------------------------------------------------------------------------------------------
# Signing in at a meeting (MTG-SIGN-IN): the window, the meeting a member signs in at, who has signed in.


@dataclass(frozen=True)
class Window:
    """When sign-in opens and closes for a meeting (local times) and the code's step length."""

    starts_at: dt.datetime
    ends_at: dt.datetime | None
    opens_before_minutes: int
    closes_after_minutes: int
    step_seconds: int

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return rules.sign_in_bounds(
            self.starts_at, self.ends_at, self.opens_before_minutes, self.closes_after_minutes
        )

    def state(self, at: dt.datetime) -> str:
        return rules.sign_in_window(
            self.starts_at, self.ends_at, at, self.opens_before_minutes, self.closes_after_minutes
        )

    def check(self, at: dt.datetime) -> None:
        rules.sign_in_check(
            self.starts_at, self.ends_at, at, self.opens_before_minutes, self.closes_after_minutes
        )


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def window_of(meeting: Meeting, policy: Policy | None = None) -> Window:
    """The meeting's sign-in window under the policy in force on its planned day, around its start and end
    in the installation's time zone (settings.TIME_ZONE). Without a start time: its whole planned day."""
    policy = policy or policy_for(meeting.org, meeting.planned_on)
    if meeting.starts_at is None:
        start = _local(meeting.planned_on, dt.time(0, 0))
        end = _local(meeting.planned_on + dt.timedelta(days=1), dt.time(0, 0)) - dt.timedelta(seconds=1)
        return Window(start, end, 0, 0, policy.code_step_seconds)
    start = _local(meeting.planned_on, meeting.starts_at)
    end = _local(meeting.planned_on, meeting.ends_at) if meeting.ends_at is not None else None
    return Window(
        start,
        end,
        policy.sign_in_opens_before_minutes,
        policy.sign_in_closes_after_minutes,
        policy.code_step_seconds,
    )


def meeting_for_sign_in(*, scope: Scope, meeting_id: int) -> Meeting:
    """The meeting a signed-in member signs in at (the QR code's target). A deliberate read outside the
    caller's scope: an account with a member record on the roll reaches any meeting by its id — a mobile
    member signs in where they attend, and the code shown there is what admits them; the page shows such a
    caller no details of a meeting they are neither expected at nor reading. Otherwise as `meeting_get`
    (the org's readers see the page); NotFound for the rest."""
    own = own_member(scope=scope)
    if own is not None and own.status in ACTIVE_STATUSES:
        with unscoped():
            meeting = (
                Meeting.objects.unscoped_all()
                .filter(pk=meeting_id)
                .select_related("org", "convener", "recorder", "minutes")
                .first()
            )
        if meeting is None:
            raise NotFound
        return meeting
    return meeting_get(scope=scope, meeting_id=meeting_id)


def meeting_for_screen(*, scope: Scope, meeting_id: int) -> Meeting:
    """The meeting whose sign-in screen the caller shows: the convener's or the recorder's own account (even
    without a grant that reads the org), else an officer of the org (MEETING_EDIT; PermissionDenied for its
    other readers, NotFound outside the scope)."""
    if scope.user_id is not None:
        with unscoped():
            meeting = (
                Meeting.objects.unscoped_all()
                .filter(pk=meeting_id)
                .filter(Q(convener__user_id=scope.user_id) | Q(recorder__user_id=scope.user_id))
                .select_related("org", "convener", "recorder", "minutes")
                .first()
            )
        if meeting is not None:
            return meeting
    return meeting_get(scope=scope, meeting_id=meeting_id, roles=MEETING_EDIT)


SIGNED_IN_LIMIT = 60  # names listed on the screen (the count is the stored one)


def signed_in(meeting: Meeting, *, limit: int = SIGNED_IN_LIMIT) -> list[Attendance]:
    """Who is recorded present at the meeting (expected and guests), the latest first (the meeting already
    authorized, so this reads unscoped)."""
    with unscoped():
        return list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, status="present")
            .select_related("member")
            .order_by(F("signed_at").desc(nulls_last=True), "-recorded_at", "-id")[:limit]
        )


def attendance_of(meeting: Meeting, member: Member | None) -> Attendance | None:
    """The member's attendance row at the meeting, if any."""
    if member is None:
        return None
    with unscoped():
        return Attendance.objects.unscoped_all().filter(meeting=meeting, member=member).first()
