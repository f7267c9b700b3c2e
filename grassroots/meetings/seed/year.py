"""One branch's year of organizational life, as rows ready to load (the demo's meetings).

A branch gets a *diligence* drawn from its own random stream: most hold every meeting the rules ask for, some
skip a few, a few are clearly behind; minutes are mostly finalized within days, sometimes late (补记), and the
last days' minutes are still drafts. Each member has a steadiness: most come, some ask for leave, a few drift
away in the last months (the lapse watch shows them); mobile members are excused with a standing excusal.
Every roster is the one `selectors.expected_roster` derives for that org, kind and day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from grassroots.core.dates import add_months

from .. import rules
from ..choices import (
    AppraisalGrade,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    MinutesState,
    SignInMethod,
    VoteSubject,
)
from . import vocab

TIERS = (  # (share of branches, chance to skip a required meeting, chance that minutes are late)
    ("diligent", 0.65, 0.02, 0.03),
    ("average", 0.25, 0.12, 0.10),
    ("behind", 0.10, 0.45, 0.30),
)
MEETING_COLUMNS = (
    "id", "org_id", "kind", "topic", "agenda", "place", "planned_on", "starts_at", "ends_at", "status", "held_on",
    "cancelled_reason", "convener_id", "recorder_id", "sign_in_secret", "expected_count", "present_count",
    "excused_count", "absent_count", "guest_count", "created_by_id", "created_at", "updated_at",
)  # fmt: skip
MINUTES_COLUMNS = (
    "id", "meeting_id", "text", "state", "drafted_by_id", "updated_at", "finalized_at", "finalized_by_id",
    "confirmed_at", "confirmed_by_id", "is_late_entry",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "id", "meeting_id", "member_id", "expected", "voting", "status", "reason", "method", "signed_at",
    "leave_requested_at", "leave_reason", "recorded_by_id", "recorded_at",
)  # fmt: skip
VOTE_COLUMNS = (
    "id", "meeting_id", "sequence", "subject", "motion", "member_id", "reference", "should_attend", "present",
    "yes", "no", "abstain", "quorum_met", "passed", "rule_id", "recorded_by_id", "recorded_at",
)  # fmt: skip
APPRAISAL_COLUMNS = (
    "id", "meeting_id", "member_id", "grade", "handling", "note", "recorded_by_id", "recorded_at",
)  # fmt: skip
TALK_COLUMNS = (
    "id", "org_id", "held_on", "initiator_id", "counterpart_id", "topic", "summary", "recorded_by_id", "created_at",
)  # fmt: skip
EXCUSAL_COLUMNS = (
    "id", "member_id", "reason_kind", "reason", "from_month", "until_month", "recorded_by_id", "created_at",
)  # fmt: skip
NOTICE_COLUMNS = ("id", "meeting_id", "member_id", "channel", "text", "sent_at", "read_at")
AMENDMENT_COLUMNS = ("id", "minutes_id", "text", "reason", "author_id", "author_label", "created_at")

TZ = dt.timezone(dt.timedelta(hours=8))  # the day's times are Beijing time


@dataclass(frozen=True)
class Person:
    """A member as the meetings need them: id, party group, full member, 留党察看 (from, until), admitted on,
    mobile, lost contact, name."""

    id: int
    group_id: int | None
    full: bool
    probation: tuple[dt.date | None, dt.date | None]
    admitted_on: dt.date
    mobile: bool
    lost: bool
    name: str

    def voting_on(self, day: dt.date) -> bool:
        """A full member not under 留党察看 on `day` has the vote (as `selectors.expected_roster` derives it)."""
        start, until = self.probation
        under = start is not None and start <= day and (until is None or day < until)
        return self.full and not under


@dataclass
class Branch:
    org_id: int
    code: str
    groups: list[int]
    people: list[Person]
    committee: list[int] = field(default_factory=list)  # member ids on the committee in office
    secretary: int | None = None


@dataclass
class Upper:
    """An upper org's committee for the seed: its members as a `Branch` (people = those holding a post), when
    it was elected and each post holder's (started, ended) span."""

    branch: Branch
    elected_on: dt.date
    spans: dict[int, tuple[dt.date, dt.date | None]]


@dataclass
class Held:
    """A meeting made for the year (what the seal and the counts need once its attendance is made)."""

    meeting_id: int
    org_id: int
    kind: str
    held_on: dt.date | None
    final: bool
    finalized_at: dt.datetime | None


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class YearFactory:
    """Makes every branch's year; rows collect in lists, attendance streams (it is the large table)."""

    def __init__(self, seed: int, as_of: dt.date, now: dt.datetime):
        self.seed = seed
        self.as_of = as_of
        self.now = now
        self.first_month = add_months(as_of.replace(day=1), -11)
        self.meetings: list[tuple] = []
        self.minutes: list[tuple] = []
        self.votes: list[tuple] = []
        self.appraisals: list[tuple] = []
        self.talks: list[tuple] = []
        self.excusals: list[tuple] = []
        self.notices: list[tuple] = []
        self.amendments: list[tuple] = []
        self.held: list[Held] = []
        self._attendance_id = 0

    def rng(self, *key: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, "meetings", *key)))

    # -- the year of one branch --------------------------------------------------------------------------
    def attendance(self, branches: list[Branch], upper: list[Upper] = ()) -> Iterator[tuple]:
        for branch in branches:
            yield from self._branch(branch)
        for body in upper:
            yield from self._upper(body)

    def _tier(self, rng: random.Random) -> tuple[float, float]:
        """(chance to skip a required meeting, chance that minutes are late) of a branch or committee."""
        pick = rng.random()
        for _name, share, skip_p, late_p in TIERS:
            if pick < share:
                return skip_p, late_p
            pick -= share
        return 0.0, 0.0

    def _upper(self, body: Upper) -> Iterator[tuple]:
        """An upper committee's year (党委、总支委员会): its committee meets monthly, those holding a post that
        day attending (drawn after every branch, from the committee's own stream)."""
        rng = self.rng("upper", body.branch.code)
        skip, late = self._tier(rng)
        for i in range(12):
            day = add_months(self.first_month, i).replace(day=rng.randint(1, 10))
            if day < body.elected_on or (day <= self.as_of and rng.random() < skip):
                continue
            roster = [
                p
                for p in body.branch.people
                if body.spans[p.id][0] <= day and (body.spans[p.id][1] is None or day < body.spans[p.id][1])
            ]
            yield from self._meeting(
                body.branch, MeetingKind.COMMITTEE_MEETING, body.branch.org_id, day, roster, {}, rng, late
            )

    def _branch(self, branch: Branch) -> Iterator[tuple]:
        rng = self.rng(branch.code)
        skip, late = self._tier(rng)
        steadiness = self._steadiness(branch, rng)
        for kind, org_id, day, roster in self._plan(branch, rng):
            if day <= self.as_of and rng.random() < skip:
                continue
            yield from self._meeting(branch, kind, org_id, day, roster, steadiness, rng, late)
        self._talks(branch, rng)
        self._excusals(branch)

    def _steadiness(self, branch: Branch, rng: random.Random) -> dict[int, tuple[float, dt.date | None]]:
        """Each member's chance to come, and the month from which a drifting member stops coming."""
        out: dict[int, tuple[float, dt.date | None]] = {}
        drifter = None
        if branch.people and rng.random() < 0.35:
            drifter = rng.choice(branch.people).id
        for p in branch.people:
            if p.lost:
                out[p.id] = (0.0, None)
            elif p.id == drifter:
                out[p.id] = (0.85, add_months(self.as_of.replace(day=1), -rng.randint(3, 7)))
            else:
                out[p.id] = (rng.uniform(0.8, 0.97), None)
        return out

    def _plan(self, branch: Branch, rng: random.Random) -> Iterator[tuple[str, int, dt.date, list[Person]]]:
        """(kind, org id, day, roster) for the year: monthly themed days, committee and group meetings;
        a general meeting and a lecture each quarter; the organizational life meeting and the appraisal early
        in the year; the next meetings planned a few days ahead."""
        everyone = branch.people
        committee = [p for p in everyone if p.id in set(branch.committee)]
        for i in range(12):
            month = add_months(self.first_month, i)

            def day_in(lo: int, hi: int, month: dt.date = month) -> dt.date:
                return month.replace(day=rng.randint(lo, hi))

            yield MeetingKind.THEMED_DAY, branch.org_id, day_in(3, 26), everyone
            if committee:
                yield MeetingKind.COMMITTEE_MEETING, branch.org_id, day_in(1, 10), committee
            for group_id in branch.groups:
                members = [p for p in everyone if p.group_id == group_id]
                if members:
                    yield MeetingKind.GROUP_MEETING, group_id, day_in(5, 25), members
            if month.month in (1, 4, 7, 10):
                yield (
                    MeetingKind.GENERAL_MEETING,
                    branch.org_id,
                    add_months(day_in(5, 25), rng.randint(0, 2)),
                    everyone,
                )
                yield (
                    MeetingKind.PARTY_LECTURE,
                    branch.org_id,
                    add_months(day_in(5, 25), rng.randint(0, 2)),
                    everyone,
                )
            if month.month == 1:
                yield MeetingKind.ORG_LIFE_MEETING, branch.org_id, day_in(10, 28), everyone
                yield MeetingKind.APPRAISAL, branch.org_id, add_months(day_in(1, 20), 1), everyone

    def _meeting(
        self,
        branch: Branch,
        kind: str,
        org_id: int,
        day: dt.date,
        roster: list[Person],
        steadiness: dict[int, tuple[float, dt.date | None]],
        rng: random.Random,
        late: float,
    ) -> Iterator[tuple]:
        roster = [p for p in roster if p.admitted_on <= day]
        if not roster or day > self.as_of + dt.timedelta(days=20):
            return
        meeting_id = len(self.meetings) + 1
        topics = {
            MeetingKind.THEMED_DAY: vocab.THEMED_DAY_TOPICS,
            MeetingKind.COMMITTEE_MEETING: vocab.COMMITTEE_TOPICS,
            MeetingKind.GROUP_MEETING: vocab.GROUP_TOPICS,
            MeetingKind.GENERAL_MEETING: vocab.GENERAL_TOPICS,
            MeetingKind.PARTY_LECTURE: vocab.LECTURE_TOPICS,
            MeetingKind.ORG_LIFE_MEETING: vocab.ORG_LIFE_TOPICS,
            MeetingKind.APPRAISAL: vocab.APPRAISAL_TOPICS,
        }[kind]
        topic = rng.choice(topics)
        place = rng.choice(vocab.PLACES)
        start = rng.choice((9, 10, 14, 15, 16))
        held = day < self.as_of
        convener = branch.secretary or roster[0].id
        names = {p.id: p.name for p in branch.people}
        recorder = next((pid for pid in branch.committee if pid != convener), roster[-1].id)
        counts = {AttendanceStatus.PRESENT: 0, AttendanceStatus.EXCUSED: 0, AttendanceStatus.ABSENT: 0}
        present_voting = voting = 0
        final = False
        finalized_at = None
        if held:
            delay = rng.randint(8, 30) if rng.random() < late else rng.randint(0, 4)
            finalized_on = day + dt.timedelta(days=delay)
            final = finalized_on < self.as_of
            finalized_at = _at(finalized_on, 17, rng.randint(0, 59)) if final else None
        lines = []
        for p in roster:
            self._attendance_id += 1
            chance, drift_from = steadiness.get(p.id, (0.9, None))
            status = reason = method = ""
            signed_at = recorded_at = None
            if held:
                roll = rng.random()
                if p.mobile:
                    status, reason = AttendanceStatus.EXCUSED, "外出流动"
                elif drift_from is not None and day >= drift_from:
                    status = AttendanceStatus.ABSENT
                elif roll < chance:
                    status = AttendanceStatus.PRESENT
                elif roll < chance + (1 - chance) * 0.6:
                    status, reason = AttendanceStatus.EXCUSED, rng.choice(vocab.LEAVE_REASONS)
                else:
                    status = AttendanceStatus.ABSENT
                if status == AttendanceStatus.PRESENT:
                    way = rng.random()
                    method = (
                        SignInMethod.CODE
                        if way < 0.7
                        else SignInMethod.QR
                        if way < 0.9
                        else SignInMethod.SECRETARY
                    )
                    signed_at = _at(day, start - 1, rng.randint(35, 59))
                    recorded_at = signed_at
                elif status:
                    method = ""
                    recorded_at = _at(day, start + 2)
                if not final and status == AttendanceStatus.ABSENT:
                    status = ""  # not recorded until the minutes are finalized
                if status:
                    counts[status] += 1
                if p.voting_on(day) and kind in (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING):
                    voting += 1
                    present_voting += status == AttendanceStatus.PRESENT
            lines.append((p, status, reason))
            yield (
                self._attendance_id, meeting_id, p.id, True, p.voting_on(day), status, reason, method, signed_at,
                None, "", None, recorded_at,
            )  # fmt: skip
        status = MeetingStatus.HELD if held else MeetingStatus.PLANNED
        self.meetings.append(
            (
                meeting_id,
                org_id,
                kind,
                topic,
                "",
                place,
                day,
                dt.time(start, 0).isoformat(),
                dt.time(start + 1, 30).isoformat(),
                status,
                day if held else None,
                "",
                convener,
                recorder,
                f"{rng.getrandbits(160):040x}",
                len(roster),
                counts[AttendanceStatus.PRESENT],
                counts[AttendanceStatus.EXCUSED],
                counts[AttendanceStatus.ABSENT],
                0,
                None,
                self.now,
                self.now,
            )
        )
        text = ""
        if held:
            text = self._text(
                kind, topic, day, place, names.get(convener, ""), names.get(recorder, ""), lines
            )
        is_late = bool(final and finalized_at and rules.is_late_entry(day, finalized_at.date()))
        minutes_id = meeting_id
        self.minutes.append(
            (
                minutes_id,
                meeting_id,
                text,
                MinutesState.FINALIZED if final else MinutesState.DRAFT,
                None,
                finalized_at or self.now,
                finalized_at,
                None,
                None,
                None,
                is_late,
            )
        )
        if (
            final
            and kind == MeetingKind.GENERAL_MEETING
            and rng.random() < 0.3
            and present_voting * 2 > voting
        ):
            yes = present_voting - rng.randint(0, min(2, present_voting))
            outcome = rules.vote_check(
                kind, rules.VoteCount(voting, present_voting, yes, present_voting - yes)
            )
            self.votes.append(
                (
                    len(self.votes) + 1,
                    meeting_id,
                    1,
                    VoteSubject.OTHER,
                    rng.choice(vocab.MOTIONS),
                    None,
                    "",
                    voting,
                    present_voting,
                    yes,
                    present_voting - yes,
                    0,
                    outcome.quorum_met,
                    outcome.passed,
                    outcome.rule_id,
                    None,
                    finalized_at,
                )
            )
        if final and kind == MeetingKind.APPRAISAL:
            self._grades(meeting_id, roster, rng, finalized_at)
        if final and rng.random() < 0.02:
            self.amendments.append(
                (
                    len(self.amendments) + 1,
                    minutes_id,
                    "补充：会议还通报了近期党员教育管理工作安排。",
                    "定稿时遗漏一项议程内容",
                    None,
                    "支部书记",
                    finalized_at + dt.timedelta(days=2),
                )
            )
        if not held:
            for p in roster:
                self.notices.append(
                    (
                        len(self.notices) + 1,
                        meeting_id,
                        p.id,
                        "in_app",
                        f"会议通知：{day.isoformat()} {start:02d}:00 「{topic}」{place}",
                        self.now,
                        None,
                    )
                )
        self.held.append(Held(meeting_id, org_id, kind, day if held else None, final, finalized_at))

    def _text(self, kind, topic, day, place, convener, recorder, lines) -> str:
        present = [p.name for p, s, _ in lines if s == AttendanceStatus.PRESENT]
        excused = [f"{p.name}（{r}）" for p, s, r in lines if s == AttendanceStatus.EXCUSED]
        absent = [p.name for p, s, _ in lines if s == AttendanceStatus.ABSENT]
        parts = [
            f"会议时间：{day.year}年{day.month}月{day.day}日",
            f"会议地点：{place}",
            f"主持人：{convener}　记录人：{recorder}",
            f"应到{len(lines)}人，实到{len(present)}人。",
        ]
        if excused:
            parts.append("请假：" + "、".join(excused))
        if absent:
            parts.append("缺席：" + "、".join(absent))
        parts += [f"会议主题：{topic}", "会议内容：", "一、传达学习有关文件精神；", "二、结合实际开展讨论，与会党员逐一发言；",
                  "三、主持人作总结，对下一步工作提出要求。"]  # fmt: skip
        return "\n".join(parts)

    def _grades(self, meeting_id: int, roster: list[Person], rng: random.Random, at) -> None:
        n = len(roster)
        excellent = set(p.id for p in rng.sample(roster, min(rules.max_excellent(n), round(n * 0.2))))
        for p in roster:
            grade = AppraisalGrade.EXCELLENT if p.id in excellent else AppraisalGrade.QUALIFIED
            handling = ""
            if grade == AppraisalGrade.QUALIFIED and p.lost:
                grade, handling = AppraisalGrade.UNQUALIFIED, "rectify"
            elif grade == AppraisalGrade.QUALIFIED and rng.random() < 0.02:
                grade = AppraisalGrade.BASICALLY_QUALIFIED
            self.appraisals.append(
                (len(self.appraisals) + 1, meeting_id, p.id, grade, handling, "", None, at)
            )

    def _talks(self, branch: Branch, rng: random.Random) -> None:
        if not branch.committee or len(branch.people) < 2:
            return
        for _ in range(rng.randint(2, 8)):
            initiator = rng.choice(branch.committee)
            others = [p.id for p in branch.people if p.id != initiator]
            day = add_months(self.first_month, rng.randint(0, 11)).replace(day=rng.randint(1, 28))
            if day >= self.as_of:
                continue
            self.talks.append(
                (
                    len(self.talks) + 1,
                    branch.org_id,
                    day,
                    initiator,
                    rng.choice(others),
                    rng.choice(vocab.TALK_TOPICS),
                    "",
                    None,
                    self.now,
                )
            )

    def _excusals(self, branch: Branch) -> None:
        for p in branch.people:
            if p.mobile:
                self.excusals.append(
                    (
                        len(self.excusals) + 1,
                        p.id,
                        "mobile",
                        "外出务工，已登记为流动党员",
                        self.first_month,
                        None,
                        None,
                        self.now,
                    )
                )
