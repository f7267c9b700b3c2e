"""The members router: member records, ending a membership, and transfers (组织关系转接)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS, patch_data
from grassroots.core.errors import NotFound
from grassroots.core.filters import bound
from grassroots.core.id_search import SearchHeader, api_data
from grassroots.core.scoping import Scope
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.models import Org

from . import disclosures, selectors, services
from .filters import MemberFilter, TransferFilter
from .models import Member
from .schemas import (
    MemberEndIn,
    MemberFilterIn,
    MemberIn,
    MemberOut,
    MemberPatchIn,
    MemberSummaryOut,
    OwnContactIn,
    TransferCancelIn,
    TransferFilterIn,
    TransferIn,
    TransferOut,
    TransferReceiptIn,
    TransferReceiveIn,
    TransferReissueIn,
)

router = Router(tags=["members"])

# Fields that may be cleared with an explicit null in a PATCH; the others ignore a null.
NULLABLE_FIELDS = {
    "converted_on",
    "started_work_on",
    "mobile_since",
    "lost_contact_since",
    "disciplinary_probation_from",
    "disciplinary_probation_until",
    "party_group",
}
MEMBER_OUT_FIELDS = [
    *(f for f in services.PROFILE_FIELDS if f != "party_group"),
    "id",
    "status",
    "joined_how",
    "ended_on",
    "end_reason",
    "end_document",
]


def member_out(scope: Scope, member: Member) -> dict:
    return {
        **{f: getattr(member, f) for f in MEMBER_OUT_FIELDS},
        "org": member.org.code,
        "org_name": member.org.name,
        "party_group": member.party_group.code if member.party_group else None,
        "id_number": selectors.member_id_number(scope=scope, member=member),
        "warnings": [
            {"rule_id": w.rule_id, "message": w.message, "holds_from": w.holds_from}
            for w in selectors.member_warnings(scope=scope, member=member, on=timezone.localdate())
        ],
    }


def _party_group(scope: Scope, code: str | None) -> Org | None:
    return org_selectors.org_if_named(scope=scope, code=code)


@router.get("/members", response={200: list[MemberSummaryOut], **ERRORS})
@paginated
def member_list(request: HttpRequest, filters: Query[MemberFilterIn], search: SearchHeader = None):
    """Members the caller may read, sorted by pinyin, with the member list page's filters; paged. A search by
    ID number (a whole number or its last four characters) is an audited event; a whole number goes in the
    X-Search header, never in `?q=` (422 API-ID-SEARCH), so that it stays out of access logs."""
    who = caller(request)
    member_filter = MemberFilter(api_data(filters, search), scope=who.scope)
    disclosures.id_search_record(
        scope=who.scope,
        actor=who.user,
        q=member_filter.data.get("q") or "",
        where="members",
        org=member_filter.org,
    )
    return member_filter.paged


@router.get("/me", response={200: MemberOut, **ERRORS})
def me_detail(request: HttpRequest):
    """The caller's own member record (404 when their account is linked to none)."""
    scope = caller(request).scope
    member = selectors.own_member(scope=scope)
    if member is None:
        raise NotFound
    return member_out(scope, member)


@router.patch("/me", response={200: MemberOut, **ERRORS})
def me_update(request: HttpRequest, payload: OwnContactIn):
    """A member changes their own phone and address, nothing else (MEM-SELF-SERVICE)."""
    who = caller(request)
    fields = payload.model_dump(exclude_unset=True)
    member = services.member_update_own(scope=who.scope, actor=who.user, **fields)
    return member_out(who.scope, member)


@router.get("/members/{member_id}", response={200: MemberOut, **ERRORS})
def member_detail(request: HttpRequest, member_id: int):
    scope = caller(request).scope
    return member_out(scope, selectors.member_get(scope=scope, member_id=member_id))


@router.post("/members", response={201: MemberOut, **ERRORS})
def member_create(request: HttpRequest, payload: MemberIn):
    who = caller(request)
    data = payload.model_dump()
    org = org_selectors.org_get(scope=who.scope, code=data.pop("org"))
    data["party_group"] = _party_group(who.scope, data.pop("party_group"))
    member = services.member_create(scope=who.scope, actor=who.user, org=org, **data)
    return Status(201, member_out(who.scope, member))


@router.patch("/members/{member_id}", response={200: MemberOut, **ERRORS})
def member_update(request: HttpRequest, member_id: int, payload: MemberPatchIn):
    who = caller(request)
    member = selectors.member_get(scope=who.scope, member_id=member_id)
    fields = patch_data(payload, nullable=NULLABLE_FIELDS)
    if "party_group" in fields:
        fields["party_group"] = _party_group(who.scope, fields["party_group"])
    member = services.member_update(scope=who.scope, actor=who.user, member=member, **fields)
    return member_out(who.scope, member)


@router.post("/members/{member_id}/end", response={200: MemberOut, **ERRORS})
def member_end(request: HttpRequest, member_id: int, payload: MemberEndIn):
    """End (withdrawn, removed, expelled, deceased) or suspend a membership; the record stays."""
    who = caller(request)
    member = selectors.member_get(scope=who.scope, member_id=member_id)
    member = services.member_end(scope=who.scope, actor=who.user, member=member, **payload.model_dump())
    return member_out(who.scope, member)


@router.post("/members/{member_id}/transfer", response={201: TransferOut, **ERRORS})
def transfer_issue(request: HttpRequest, member_id: int, payload: TransferIn):
    """Issue an introduction letter moving the membership to `to_org` or to an org outside the system."""
    who = caller(request)
    member = selectors.member_get(scope=who.scope, member_id=member_id)
    data = payload.model_dump()
    to_code = data.pop("to_org")
    to_org = selectors.transfer_destination(code=to_code) if to_code else None
    transfer = services.transfer_issue(scope=who.scope, actor=who.user, member=member, to_org=to_org, **data)
    return Status(201, transfer)


@router.get("/transfers", response={200: list[TransferOut], **ERRORS})
@paginated
def transfer_list(request: HttpRequest, filters: Query[TransferFilterIn]):
    """`in`: letters addressed to the caller's orgs awaiting receipt; `out`: letters whose receipt is owed
    (the transfers page's sections, with its `org` filter); paged."""
    return TransferFilter(bound(filters), scope=caller(request).scope).qs


@router.post("/transfers/{transfer_id}/receive", response={200: TransferOut, **ERRORS})
def transfer_receive(request: HttpRequest, transfer_id: int, payload: TransferReceiveIn):
    """The receiving org accepts the letter: the member now belongs to it."""
    who = caller(request)
    transfer = selectors.transfer_get(scope=who.scope, transfer_id=transfer_id)
    transfer = services.transfer_receive(
        scope=who.scope, actor=who.user, transfer=transfer, received_on=payload.received_on
    )
    return transfer


@router.post("/transfers/{transfer_id}/receipt", response={200: TransferOut, **ERRORS})
def transfer_receipt(request: HttpRequest, transfer_id: int, payload: TransferReceiptIn):
    """The receipt (回执) came back: the transfer is complete."""
    who = caller(request)
    transfer = selectors.transfer_get(scope=who.scope, transfer_id=transfer_id)
    transfer = services.transfer_return_receipt(
        scope=who.scope, actor=who.user, transfer=transfer, returned_on=payload.returned_on
    )
    return transfer


@router.post("/transfers/{transfer_id}/cancel", response={200: TransferOut, **ERRORS})
def transfer_cancel(request: HttpRequest, transfer_id: int, payload: TransferCancelIn):
    """Cancel (撤销) a letter not yet received, with a reason; the letter stays on record."""
    who = caller(request)
    transfer = selectors.transfer_get(scope=who.scope, transfer_id=transfer_id)
    return services.transfer_cancel(
        scope=who.scope, actor=who.user, transfer=transfer, **payload.model_dump()
    )


@router.post("/transfers/{transfer_id}/reissue", response={201: TransferOut, **ERRORS})
def transfer_reissue(request: HttpRequest, transfer_id: int, payload: TransferReissueIn):
    """Reissue a letter under a new serial number; the new letter names the cancelled one."""
    who = caller(request)
    transfer = selectors.transfer_get(scope=who.scope, transfer_id=transfer_id)
    new = services.transfer_reissue(
        scope=who.scope, actor=who.user, transfer=transfer, **payload.model_dump()
    )
    return Status(201, new)
