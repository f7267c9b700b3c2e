"""`grassroots demo_setup --scale county --seed 1`: seed an empty database, then make sure the demo users exist.

Idempotent: seeds only when the database holds no orgs; users are created once with generated passwords kept
in $GRASSROOTS_DATA_DIR/demo_users.json (mode 600) and printed as a table on every run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.accounts import selectors as account_selectors
from grassroots.accounts import services as account_services
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope
from grassroots.demo import seeder
from grassroots.members import selectors as member_selectors
from grassroots.members.models import Member
from grassroots.members.services import member_link_user
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.models import Org
from grassroots.recruitment import selectors as recruitment_selectors

COMMON_SURNAMES = ("王", "李", "张", "刘", "陈")
LOOK_AT = 2001  # the most branches of one tier looked at before the tier is given up
SYSTEM = Scope.system("demo_setup")
# (username, role, where, display name)
DEMO_USERS = (
    ("demo_admin", "org_admin", "root", "组织部管理员"),
    ("demo_viewer", "viewer", "root", "组织部查看员"),
    ("demo_secretary", "secretary", "branch", "支部书记"),
    ("demo_officer", "officer", "branch", "支部组织委员"),
    ("demo_member", "member", "branch", ""),
)


def users_file() -> Path:
    return Path(settings.DATA_DIR) / "demo_users.json"


def _write_private(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _lively_branches() -> set[int]:
    """Branches with open recruitment dossiers in at least three of the four open stages, so that the demo
    secretary's board, dossiers and to-do show a live pipeline."""
    return recruitment_selectors.orgs_with_open_stages(scope=SYSTEM, at_least=3)


def _watched_branches() -> set[int]:
    """Branches with a member under 留党察看 today, whom the vote form shows greyed out (REC-VOTERS-FULL)."""
    return member_selectors.orgs_with_disciplinary_probation(scope=SYSTEM, on=timezone.localdate())


def _first_members(today: dt.date) -> Iterator[tuple[int, int]]:
    """(branch id, member id) for each branch in tree order that has a full member with a common surname who
    has no account yet and is not under 留党察看 `today`: the first such member (by id)."""
    rows = member_selectors.full_members_without_account(
        scope=SYSTEM, on=today, surnames=COMMON_SURNAMES, org_kind="branch"
    )
    seen: set[int] = set()
    for org_id, member_id in rows.iterator():
        if org_id not in seen:
            seen.add(org_id)
            yield org_id, member_id


def _warned(org_id: int, today: dt.date) -> Org | None:
    """The branch, if it shows ORG-* warnings `today`."""
    branch = org_selectors.org_get_by_id(scope=SYSTEM, org_id=org_id)
    return branch if org_selectors.org_warnings(scope=SYSTEM, org=branch, on=today) else None


def _stored_pick(code: str, member_id: int | None) -> tuple[Org | None, Member | None]:
    """The branch and member a previous run picked, each None when it no longer exists."""
    try:
        branch = org_selectors.org_get(scope=SYSTEM, code=code)
    except NotFound:
        branch = None
    try:
        member = member_selectors.member_get(scope=SYSTEM, member_id=member_id) if member_id else None
    except NotFound:
        member = None
    return branch, member


def pick_branch() -> tuple[Org, Member]:
    """The first branch (in tree order) that shows ORG-* warnings, has a full member with a common surname
    who has no account yet and, where one exists, a live recruitment pipeline, preferably with a member under
    留党察看 (the vote form shows them greyed out). Returns (branch, member).

    The tiers (lively and watched, lively, any branch) are tried in turn, each in tree order and giving up after
    `LOOK_AT` branches, over one pass of the candidates: what a tier reads of them is kept (with the best tier
    each one belongs to) for the tiers after it, which go through it first and then read on. A branch's
    warnings are computed once at most."""
    today = timezone.localdate()
    lively = _lively_branches()
    tiers: list[set[int] | None] = [
        t for t in ([lively & _watched_branches(), lively] if lively else []) if t
    ]
    tiers.append(None)  # any branch
    stream = _first_members(today)
    read: list[tuple[int, int, int]] = []  # (best tier, branch id, member id), in tree order
    warned: dict[int, Org | None] = {}

    def candidates(tier: int) -> Iterator[tuple[int, int]]:
        for k in range(len(read)):
            best, org_id, member_id = read[k]
            if best <= tier:
                yield org_id, member_id
        for org_id, member_id in stream:
            best = next(i for i, t in enumerate(tiers) if t is None or org_id in t)
            read.append((best, org_id, member_id))
            if best <= tier:
                yield org_id, member_id

    for tier in range(len(tiers)):
        for looked, (org_id, member_id) in enumerate(candidates(tier), start=1):
            if org_id not in warned:
                warned[org_id] = _warned(org_id, today)
            branch = warned[org_id]
            if branch is not None:
                return branch, member_selectors.member_get(scope=SYSTEM, member_id=member_id)
            if looked >= LOOK_AT:
                break
    raise CommandError("no branch with warnings and a member with a common surname: seed the database first")


class Command(BaseCommand):
    help = "Seed the demo county if the database is empty, then ensure one demo user per role (printed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(seeder.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **opts):
        if seeder.is_empty():
            seeder.seed(scale=opts["scale"], seed=opts["seed"], out=self.stdout.write)
        else:
            self.stdout.write("The database already holds orgs: not seeding.")

        path = users_file()
        stored: dict = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        root = org_selectors.org_top_level(scope=SYSTEM)[0]
        branch = member = None
        if stored.get("branch_code"):
            branch, member = _stored_pick(stored["branch_code"], stored.get("member_id"))
        if branch is None or member is None:
            branch, member = pick_branch()
        changed = stored.get("branch_code") != branch.code or stored.get("member_id") != member.pk
        stored["branch_code"], stored["member_id"] = branch.code, member.pk
        passwords: dict = stored.setdefault("users", {})
        rows = []
        for username, role, where, display in DEMO_USERS:
            org = root if where == "root" else branch
            entry = passwords.get(username)
            if entry is None or entry.get("org") != org.code:
                entry = passwords[username] = {
                    "role": role,
                    "org": org.code,
                    "password": secrets.token_urlsafe(12),
                }
                changed = True
            user = account_selectors.user_with_grant(username=username, org_id=org.pk, role=role)
            if user is None:
                user = account_services.user_add(
                    scope=SYSTEM,
                    actor=None,
                    username=username,
                    password=entry["password"],
                    org_code=org.code,
                    role=role,
                    display_name=display or member.name,
                )
            if role == "member":
                member_link_user(scope=SYSTEM, actor=None, member=member, user=user)
            rows.append((username, role, f"{org.code} {org.name}", entry["password"]))
        if changed or not path.exists():
            _write_private(path, stored)

        self.stdout.write(f"Demo users (passwords kept in {path}):")
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        self.stdout.write(f"{'username':<{widths[0]}}  {'role':<{widths[1]}}  password          org")
        for username, role, org_label, password in rows:
            self.stdout.write(f"{username:<{widths[0]}}  {role:<{widths[1]}}  {password:<16}  {org_label}")
