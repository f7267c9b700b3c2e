"""Every page of the root's org_admin, timed through Django's test client (server time), on each engine.

    python bench/pages.py --scale city --seed 1                       (make bench, after bench/run.py)
    python bench/pages.py --scale province --sqlite /tmp/p.sqlite3 \\
        --postgresql postgres://postgres@127.0.0.1:5432/province       (by hand, on seeded databases)

For SQLite (always) and PostgreSQL (when DATABASE_URL names a server) this creates a throwaway database (a file
in a temp dir; a database gr_pages_<pid> that is dropped afterwards), migrates it and seeds the scale. With
`--sqlite PATH` / `--postgresql URL` it uses that database instead and keeps it: it is migrated (so new
indexes apply) and seeded only if it holds no orgs yet — seeding a province takes minutes. A reused database
needs the GRASSROOTS_ID_KEY it was seeded with (environment, or secrets.env in GRASSROOTS_DATA_DIR) for the
ID-number search to find its member; with another key that search is still timed but finds nobody.

The worker provisions a user `bench_org_admin` with the org_admin role on the root (idempotent), signs in
(a session for the pages, a bearer token for the API) and fetches every page that user has: home, org tree,
the org pages of the root, of a mid-level org (depth 2, the largest) and of a county under it, the warnings
list, the member list and its search by name, pinyin, initials and ID number, a member's record, transfers,
the recruitment board and ledger, a dossier and its summary, the policy page, the xlsx exports of the lists
(for the county: an export reads every matching row) and the main API lists. Each page answers 200 once
before timing; figures are medians of a few repeats after a warm-up, server time as the client sees it
(the whole body read, streamed or not). The table flags a page over PAGE_MS and a member search over
SEARCH_MS; exports are reported with their row count and are not held to the page budget. It prints, it
does not fail on, times. Each engine runs in its own process (settings are per process).
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import harness

ROOT = Path(__file__).resolve().parent.parent
PAGE_MS = 300.0
SEARCH_MS = 100.0
USERNAME = "bench_org_admin"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    kind: str = "page"  # page | search | export | api
    api: bool = False

    @property
    def budget(self) -> float | None:
        return {"page": PAGE_MS, "api": PAGE_MS, "search": SEARCH_MS}.get(self.kind)


# -- worker: one engine, inside Django ------------------------------------------------------------------------
def worker(args) -> None:
    log = harness.start_worker()
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.accounts import services as account_services
    from grassroots.accounts.models import User
    from grassroots.core import crypto
    from grassroots.core.roles import Role
    from grassroots.core.scoping import Scope, unscoped
    from grassroots.demo import seeder
    from grassroots.members.models import Member, OrgMemberFigures
    from grassroots.orgs.models import Org
    from grassroots.recruitment.models import Applicant

    with unscoped():
        seeded = Org.objects.unscoped_all().exists()
    seed_seconds = None
    if not seeded:
        seed_seconds = seeder.seed(scale=args.scale, seed=args.seed, out=log).seconds
    else:
        log("reusing the seeded database")

    with unscoped():
        orgs = Org.objects.unscoped_all()
        root = orgs.get(depth=1)
        # The mid-level org: the depth-2 org with the most members (by the maintained figures); a county: its
        # depth-3 child with the most members.
        per_org = OrgMemberFigures.objects.unscoped_all().values_list("org__path", "full", "probationary")
        by_prefix: dict[str, int] = {}
        for path, full, probationary in per_org:
            for depth in (2, 3):
                if len(path) >= 4 * depth:
                    by_prefix[path[: 4 * depth]] = by_prefix.get(path[: 4 * depth], 0) + full + probationary
        mid_path = max((p for p in by_prefix if len(p) == 8), key=lambda p: (by_prefix[p], p))
        county_path = max(
            (p for p in by_prefix if len(p) == 12 and p.startswith(mid_path)), key=lambda p: (by_prefix[p], p)
        )
        mid, county = orgs.get(path=mid_path), orgs.get(path=county_path)
        member = (
            Member.objects.unscoped_all()
            .filter(org__path__startswith=county_path, status="full")
            .exclude(id_number_encrypted="")
            .order_by("id")
            .first()
        )
        try:
            id_number = crypto.decrypt(member.id_number_encrypted)
        except Exception:  # seeded with another GRASSROOTS_ID_KEY: still timed, finds nobody
            log("the ID numbers were encrypted with another key: the ID-number search will find nobody")
            id_number = "110101199003070015"
        applicant = (
            Applicant.objects.unscoped_all()
            .filter(org__path__startswith=county_path, stage="probationary")
            .order_by("id")
            .first()
        )
        members_total = OrgMemberFigures.objects.unscoped_all().aggregate(
            n=Sum("full") + Sum("probationary")
        )["n"]
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not user.grants.filter(org=root, role=Role.ORG_ADMIN, revoked_at=None).exists():
            password = secrets.token_urlsafe(16)
            user = account_services.user_add(
                scope=Scope.system("bench"),
                actor=None,
                username=USERNAME,
                password=password,
                org_code=root.code,
                role=Role.ORG_ADMIN,
                check_password=False,
            )
    log(
        f"root {root.code}, mid {mid.code} {mid.name} ({by_prefix[mid.path]} active members), "
        f"county {county.code} {county.name} ({by_prefix[county.path]}); member {member.pk}; "
        f"dossier {applicant.pk if applicant else None}"
    )

    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.force_login(user)
    token = account_services._token_create(user)
    api_headers = {"Authorization": f"Bearer {token}"}

    def q(path: str, **params) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    pages = [
        Page("home", "/"),
        Page("org tree", "/orgs/"),
        Page("org page: root", f"/orgs/{root.code}/"),
        Page("org page: mid (depth 2)", f"/orgs/{mid.code}/"),
        Page("org page: county (depth 3)", f"/orgs/{county.code}/"),
        Page("org children (tree, root)", f"/orgs/{root.code}/children/"),
        Page("org search", q("/orgs/search/", q=mid.name[:3])),
        Page("org history: root", f"/orgs/{root.code}/history/"),
        Page("warnings list: root", f"/orgs/{root.code}/warnings/"),
        Page("member list: all", "/members/"),
        Page("member list: root", q("/members/", org=root.code)),
        Page("member list: county", q("/members/", org=county.code)),
        Page("member search: name", q("/members/", org=root.code, q=member.name), "search"),
        Page("member search: surname", q("/members/", org=root.code, q=member.name[0]), "search"),
        Page("member search: pinyin", q("/members/", org=root.code, q=member.name_pinyin), "search"),
        Page("member search: initials", q("/members/", org=root.code, q=member.name_initials), "search"),
        Page("member search: ID number", q("/members/", org=root.code, q=id_number), "search"),
        Page("member record", f"/members/{member.pk}/"),
        Page("transfers: root", q("/members/transfers/", org=root.code)),
        Page("recruitment board: root", q("/recruitment/", org=root.code)),
        Page("recruitment board: mid", q("/recruitment/", org=mid.code)),
        Page("recruitment board: root, one stage", q("/recruitment/", org=root.code, stage="applicant")),
        Page("recruitment ledger: root", q("/recruitment/ledger/", org=root.code)),
        Page("recruitment policy: root", f"/recruitment/policy/{root.code}/"),
    ]
    if applicant is not None:
        pages += [
            Page("dossier", f"/recruitment/{applicant.pk}/"),
            Page("dossier summary", f"/recruitment/{applicant.pk}/summary/"),
        ]
    pages += [
        Page("xlsx: warnings, root", q(f"/orgs/{root.code}/warnings/", format="xlsx"), "export"),
        Page("xlsx: board per child, root", q("/recruitment/", org=root.code, format="xlsx"), "export"),
        Page("xlsx: members, county", q("/members/export/", org=county.code), "export"),
        Page("xlsx: ledger, county", q("/recruitment/ledger/", org=county.code, format="xlsx"), "export"),
        Page("api: orgs (top level)", "/api/v1/orgs", "api", api=True),
        Page("api: org children, root", q("/api/v1/orgs", parent=root.code), "api", api=True),
        Page("api: org, root", f"/api/v1/orgs/{root.code}", "api", api=True),
        Page("api: members, root", q("/api/v1/members", org=root.code), "api", api=True),
        Page("api: member search, pinyin", q("/api/v1/members", q=member.name_pinyin), "api", api=True),
        Page("api: member", f"/api/v1/members/{member.pk}", "api", api=True),
        Page("api: transfers in", q("/api/v1/transfers", direction="in"), "api", api=True),
        Page("api: dossiers, county", q("/api/v1/recruitment/applicants", org=county.code), "api", api=True),
    ]
    if args.only:
        pages = [p for p in pages if any(word in p.name for word in args.only.split(","))]

    def fetch(page: Page) -> tuple[int, int]:
        response = client.get(page.url, headers=api_headers if page.api else None)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, len(body)

    rows = []
    for page in pages:
        with CaptureQueriesContext(connection) as ctx:
            status, size = fetch(page)
        queries = len(ctx.captured_queries)
        if status != 200:
            log(f"{page.name}: HTTP {status} for {page.url}")
        for _ in range(args.warmup):
            fetch(page)
        times = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            fetch(page)
            times.append((time.perf_counter() - t) * 1000)
        ms = statistics.median(times)
        log(f"{page.name}: {ms:.1f} ms, {queries} queries, {size} bytes")
        rows.append(
            {
                "page": page.name,
                "url": page.url,
                "kind": page.kind,
                "budget": page.budget,
                "status": status,
                "ms": ms,
                "min_ms": min(times),
                "queries": queries,
                "bytes": size,
            }
        )
    print(
        "RESULT "
        + json.dumps(
            {
                "engine": connection.vendor,
                "seed_seconds": seed_seconds,
                "members": members_total,
                "root": root.code,
                "rows": rows,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def _print_table(args, results: list[dict], seconds: float) -> None:
    print()
    print(
        f"pages of the root's org_admin, scale {args.scale}, seed {args.seed}; server time (test client), "
        f"medians of {args.repeats} after {args.warmup} warm-up"
    )
    engines = [r["engine"] for r in results]
    print(f"{'page':<36}" + "".join(f"{e + ' ms':>14}{'q':>4}" for e in engines) + "  budget")
    by_name: dict[str, list[dict | None]] = {}
    for i, res in enumerate(results):
        for row in res["rows"]:
            by_name.setdefault(row["page"], [None] * len(results))[i] = row
    over = []
    for name, cells in by_name.items():
        line = f"{name:<36}"
        budget = next(c["budget"] for c in cells if c)
        for engine, cell in zip(engines, cells, strict=True):
            if cell is None:
                line += f"{'':>18}"
                continue
            flag = " "
            if cell["status"] != 200:
                flag = "!"
                over.append(f"{name} on {engine}: HTTP {cell['status']}")
            elif budget is not None and cell["ms"] > budget:
                flag = "*"
                over.append(f"{name} on {engine}: {cell['ms']:.0f} ms > {budget:.0f} ms")
            line += f"{cell['ms']:>13.1f}{flag}{cell['queries']:>4}"
        line += f"  ≤ {budget:.0f} ms" if budget else "  export"
        print(line)
    print(
        f"* over its budget (pages and API ≤ {PAGE_MS:.0f} ms, member search ≤ {SEARCH_MS:.0f} ms); "
        "! not HTTP 200"
    )
    print("exports read every matching row and are not held to a page budget; q = queries of one fetch.")
    print(("OVER BUDGET: " + "; ".join(over)) if over else "every page within its budget")
    print(f"total {seconds:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeats", type=int, default=0, help="timed fetches per page (default 5; 3 for province)"
    )
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sqlite", help="use (and keep) this SQLite file instead of a throwaway one")
    parser.add_argument(
        "--postgresql", help="use (and keep) this PostgreSQL database instead of a throwaway one"
    )
    parser.add_argument("--only", help="time only the pages whose name contains one of these words (a,b)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.repeats:
        args.repeats = 3 if args.scale == "province" else 5
    if args.worker:
        worker(args)
        return

    started = time.perf_counter()
    results = harness.run_workers(
        script=__file__,
        argv=[
            f"--scale={args.scale}",
            f"--seed={args.seed}",
            f"--repeats={args.repeats}",
            f"--warmup={args.warmup}",
            f"--only={args.only or ''}",
        ],
        engines=args.engines.split(","),
        prefix="gr-pages",
        sqlite=args.sqlite,
        postgresql=args.postgresql,
    )

    _print_table(args, results, time.perf_counter() - started)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
