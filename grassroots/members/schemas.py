"""Input and output shapes of the members router. Choice fields accept the identifiers of members.choices;
orgs are named by their code. ID numbers are validated by the service (MEM-ID-NUMBER), not here, so a bad
number answers with its rule_id."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from grassroots.core.filters import query_schema

from . import filters
from .choices import Education, JoinedHow, LostContactReason, MemberStatus, Occupation, Sex, TransferStatus

SexValue = Literal[tuple(Sex.values)]
StatusValue = Literal[tuple(MemberStatus.values)]
NewStatusValue = Literal[MemberStatus.PROBATIONARY.value, MemberStatus.FULL.value]
EducationValue = Literal[tuple(Education.values)]
OccupationValue = Literal[tuple(Occupation.values)]
JoinedHowValue = Literal[tuple(JoinedHow.values)]
LostContactValue = Literal[tuple(LostContactReason.values)] | Literal[""]
TransferStatusValue = Literal[tuple(TransferStatus.values)]


class MemberIn(Schema):
    org: str = Field(..., description="Code of the org holding the membership")
    name: str = Field(..., min_length=1, max_length=60)
    sex: SexValue
    birth_date: dt.date
    id_number: str = Field(..., max_length=32)
    status: NewStatusValue
    admitted_on: dt.date
    converted_on: dt.date | None = None
    probation_extension_months: int = Field(
        0, ge=0, le=12, description="延长预备期: the months probation was extended by (REC-DATES)"
    )
    education: EducationValue
    occupation: OccupationValue
    joined_how: JoinedHowValue = JoinedHow.OTHER.value
    party_group: str | None = Field(None, description="Code of the party group (党小组) inside the org")
    former_names: str = Field("", max_length=120)
    ethnicity: str = Field("汉族", max_length=20)
    native_place: str = Field("", max_length=60)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    unit_name: str = Field("", max_length=200)
    work_post: str = Field("", max_length=60)
    started_work_on: dt.date | None = None
    is_mobile: bool = False
    mobile_to: str = Field("", max_length=200)
    mobile_since: dt.date | None = None
    is_lost_contact: bool = False
    lost_contact_since: dt.date | None = None
    lost_contact_reason: LostContactValue = ""
    is_needy: bool = False
    disciplinary_probation_from: dt.date | None = Field(None, description="留党察看 from (党章 Art. 39)")
    disciplinary_probation_until: dt.date | None = Field(
        None, description="留党察看 ends (rights restored) on this day: one or two years after it began"
    )


class MemberPatchIn(Schema):
    """Only the fields sent are changed. Status changes go through /end, transfers and recruitment."""

    name: str | None = Field(None, min_length=1, max_length=60)
    sex: SexValue | None = None
    birth_date: dt.date | None = None
    id_number: str | None = Field(None, max_length=32)
    admitted_on: dt.date | None = None
    converted_on: dt.date | None = None
    probation_extension_months: int | None = Field(None, ge=0, le=12)
    education: EducationValue | None = None
    occupation: OccupationValue | None = None
    party_group: str | None = Field(None, description="Code of the party group; null removes it")
    former_names: str | None = Field(None, max_length=120)
    ethnicity: str | None = Field(None, max_length=20)
    native_place: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)
    unit_name: str | None = Field(None, max_length=200)
    work_post: str | None = Field(None, max_length=60)
    started_work_on: dt.date | None = None
    is_mobile: bool | None = None
    mobile_to: str | None = Field(None, max_length=200)
    mobile_since: dt.date | None = None
    is_lost_contact: bool | None = None
    lost_contact_since: dt.date | None = None
    lost_contact_reason: LostContactValue | None = None
    disciplinary_probation_from: dt.date | None = None
    disciplinary_probation_until: dt.date | None = None
    is_needy: bool | None = None


class MemberEndIn(Schema):
    status: StatusValue = Field(..., description="withdrawn, removed, expelled, deceased or suspended")
    ended_on: dt.date
    reason: str = Field("", max_length=200)
    document: str = Field("", max_length=200)


# `GET /members` and `GET /transfers` accept exactly the filters of the pages (members.filters).
MemberFilterIn = query_schema(filters.MemberFilter, "MemberFilterIn")
TransferFilterIn = query_schema(filters.TransferFilter, "TransferFilterIn")


class MemberSummaryOut(Schema):
    """An item of `GET /members` (paged: core.api_pages)."""

    id: int
    name: str
    sex: str
    birth_date: dt.date
    org: str
    org_name: str
    status: str
    id_number: str = Field(..., description="Always masked in lists")
    phone: str

    @staticmethod
    def resolve_org(member) -> str:
        return member.org.code

    @staticmethod
    def resolve_org_name(member) -> str:
        return member.org.name

    @staticmethod
    def resolve_id_number(member) -> str:
        return member.id_number_masked


class MemberOut(Schema):
    id: int
    org: str
    org_name: str
    party_group: str | None
    name: str
    former_names: str
    sex: str
    ethnicity: str
    native_place: str
    birth_date: dt.date
    id_number: str = Field(..., description="In clear for roles that may see it, masked otherwise")
    education: str
    occupation: str
    phone: str
    address: str
    unit_name: str
    work_post: str
    started_work_on: dt.date | None
    admitted_on: dt.date
    converted_on: dt.date | None
    probation_extension_months: int
    status: str
    joined_how: str
    is_mobile: bool
    mobile_to: str
    mobile_since: dt.date | None
    is_lost_contact: bool
    lost_contact_since: dt.date | None
    lost_contact_reason: str
    is_needy: bool
    disciplinary_probation_from: dt.date | None
    disciplinary_probation_until: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    end_document: str


class TransferIn(Schema):
    to_org: str | None = Field(None, description="Code of the receiving org in this system")
    external_org_name: str = Field("", max_length=200, description="The receiving org outside this system")
    letter_serial: str = Field(..., max_length=40)
    dues_paid_to: dt.date = Field(..., description="Any day of the last month paid")
    issued_on: dt.date
    note: str = Field("", max_length=200)


class TransferReceiveIn(Schema):
    received_on: dt.date


class TransferReceiptIn(Schema):
    returned_on: dt.date


class OwnContactIn(Schema):
    """A member's own phone and address (PATCH /me): only the fields sent change; any other field is refused
    (422 API-VALIDATION)."""

    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)


class TransferCancelIn(Schema):
    """Cancel (撤销) a letter not yet received; the reason is required and kept."""

    reason: str = Field(..., max_length=200)
    cancelled_on: dt.date


class TransferReissueIn(Schema):
    """Reissue a letter under a new serial number: the old one is cancelled with `reason` if still
    outstanding; the new letter names it (`reissue_of`)."""

    letter_serial: str = Field(..., max_length=40)
    issued_on: dt.date
    reason: str = Field("", max_length=200, description="Required when the old letter is still outstanding")
    dues_paid_to: dt.date | None = Field(None, description="Defaults to the old letter's")
    note: str = Field("", max_length=200)


class TransferOut(Schema):
    """A letter; also an item of `GET /transfers` (paged: core.api_pages)."""

    id: int
    member_id: int
    member_name: str
    from_org: str | None
    to_org: str | None
    external_org_name: str
    letter_serial: str
    dues_paid_to: dt.date
    issued_on: dt.date
    valid_until: dt.date
    status: TransferStatusValue
    received_on: dt.date | None
    receipt_returned_on: dt.date | None
    note: str
    cancelled_on: dt.date | None
    cancel_reason: str
    reissue_of: int | None = Field(None, description="Id of the cancelled letter this one replaces")

    @staticmethod
    def resolve_reissue_of(transfer) -> int | None:
        return transfer.reissue_of_id

    @staticmethod
    def resolve_member_name(transfer) -> str:
        return transfer.member.name

    @staticmethod
    def resolve_from_org(transfer) -> str | None:
        return transfer.from_org.code if transfer.from_org else None

    @staticmethod
    def resolve_to_org(transfer) -> str | None:
        return transfer.to_org.code if transfer.to_org else None
