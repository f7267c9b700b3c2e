"""我的会议: the signed-in member's own meetings, notices and attendance rate (phone first); a notice opened."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import mine as mine_reads
from .. import services


@login_required
@require_GET
def mine(request):
    today = timezone.localdate()
    context = {"mine": mine_reads.mine(scope=request.scope, today=today), "today": today}
    return render(request, "meetings/mine.html", context)


@login_required
@require_GET
def notice(request, notice_id):
    """A meeting notice: opened by its member it is marked read; a reader of the meeting's org sees it too."""
    notice, own = mine_reads.notice_get(scope=request.scope, notice_id=notice_id)
    if own:
        services.notice_read(scope=request.scope, actor=request.user, notice=notice)
    return render(request, "meetings/notice.html", {"notice": notice, "meeting": notice.meeting, "own": own})
