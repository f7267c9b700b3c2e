"""`grassroots demo_setup --scale county --seed 1`: seed an empty database, then make sure the demo users exist.

Idempotent: seeds only when the database holds no orgs; users are created once with generated passwords kept
in $GRASSROOTS_DATA_DIR/demo_users.json (mode 600) and printed as a table on every run.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.accounts import services as account_services
from grassroots.accounts.models import RoleGrant, User
from grassroots.core import seeding
from grassroots.core.scoping import Scope, unscoped

COMMON_SURNAMES = ("王", "李", "张", "刘", "陈")
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
    from django.db.models import Count

    from grassroots.recruitment.models import Applicant

    with unscoped():
        rows = (
            Applicant.objects.unscoped_all()
            .filter(stage__in=("applicant", "activist", "candidate", "probationary"))
            .values("org_id")
            .annotate(stages=Count("stage", distinct=True))
            .filter(stages__gte=3)
            .values_list("org_id", flat=True)
        )
        return set(rows)


def _watched_branches() -> set[int]:
    """Branches with a member under 留党察看 today, whom the vote form shows greyed out (REC-VOTERS-FULL)."""
    from grassroots.members.models import Member

    today = timezone.localdate()
    with unscoped():
        rows = (
            Member.objects.unscoped_all()
            .filter(
                status="full",
                disciplinary_probation_from__lte=today,
                disciplinary_probation_until__gt=today,
            )
            .values_list("org_id", flat=True)
            .distinct()
        )
        return set(rows)


def pick_branch():
    """The first branch (in tree order) that shows ORG-* warnings, has a full member with a common surname
    who has no account yet and, where one exists, a live recruitment pipeline, preferably with a member under
    留党察看 (the vote form shows them greyed out). Returns (branch, member)."""
    lively = _lively_branches()
    tiers = [lively & _watched_branches(), lively] if lively else []
    for required in [*(t for t in tiers if t), None]:
        found = _first_branch(required)
        if found:
            return found
    raise CommandError("no branch with warnings and a member with a common surname: seed the database first")


def _first_branch(among: set[int] | None):
    from grassroots.members.models import Member
    from grassroots.orgs.models import Org
    from grassroots.orgs.selectors import org_warnings

    today = timezone.localdate()
    with unscoped():
        candidates = (
            Member.objects.unscoped_all()
            .filter(
                org__kind="branch",
                status="full",
                user__isnull=True,
                name__regex=f"^[{''.join(COMMON_SURNAMES)}]",
            )
            .exclude(disciplinary_probation_from__lte=today, disciplinary_probation_until__gt=today)
            .order_by("org__path", "id")
            .values_list("org_id", "id")
        )
        seen: set[int] = set()
        for org_id, member_id in candidates.iterator():
            if org_id in seen or (among is not None and org_id not in among):
                continue
            seen.add(org_id)
            branch = Org.objects.unscoped_all().get(pk=org_id)
            if org_warnings(scope=SYSTEM, org=branch, on=today):
                return branch, Member.objects.unscoped_all().get(pk=member_id)
            if len(seen) > 2000:
                break
    return None


class Command(BaseCommand):
    help = "Seed the demo county if the database is empty, then ensure one demo user per role (printed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(seeding.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **opts):
        from grassroots.members.models import Member
        from grassroots.orgs.models import Org

        if seeding.is_empty():
            seeding.seed(scale=opts["scale"], seed=opts["seed"], out=self.stdout.write)
        else:
            self.stdout.write("The database already holds orgs: not seeding.")

        path = users_file()
        stored: dict = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        with unscoped():
            root = Org.objects.unscoped_all().filter(depth=1).order_by("path").first()
            branch = member = None
            if stored.get("branch_code"):
                branch = Org.objects.unscoped_all().filter(code=stored["branch_code"]).first()
                member = Member.objects.unscoped_all().filter(pk=stored.get("member_id")).first()
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
            name = display or member.name
            has_grant = RoleGrant.objects.filter(
                user__username=username, org=org, role=role, revoked_at__isnull=True
            ).exists()
            if not has_grant:
                account_services.user_add(
                    scope=SYSTEM,
                    actor=None,
                    username=username,
                    password=entry["password"],
                    org_code=org.code,
                    role=role,
                    display_name=name,
                )
            if role == "member":
                self._link_member(User.objects.get(username=username), member)
            rows.append((username, role, f"{org.code} {org.name}", entry["password"]))
        if changed or not path.exists():
            _write_private(path, stored)

        self.stdout.write(f"Demo users (passwords kept in {path}):")
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        self.stdout.write(f"{'username':<{widths[0]}}  {'role':<{widths[1]}}  password          org")
        for username, role, org_label, password in rows:
            self.stdout.write(f"{username:<{widths[0]}}  {role:<{widths[1]}}  {password:<16}  {org_label}")

    @staticmethod
    def _link_member(user: User, member) -> None:
        from grassroots.members.services import member_link_user

        member_link_user(scope=SYSTEM, actor=None, member=member, user=user)
