"""The filters of the member list and of the transfer lists: one filterset each, shared by the pages and the
API (core.filters). Each is built with the caller's scope and starts from a scoped selector; `?org=CODE`
narrows to that org's subtree (NotFound when missing or out of scope, like any other fetch)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from grassroots.core.pagination import Counted
from grassroots.core.scoping import Scope
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind

from . import selectors
from .choices import ACTIVE_STATUSES, Education, MemberStatus, Occupation
from .models import Member, Transfer
from .rules import MEMBER_WARNING_RULES
from .selectors import search_q

FLAG_CHOICES = [
    ("is_mobile", _("流动党员")),
    ("is_lost_contact", _("失联党员")),
    ("is_needy", _("困难党员")),
]


def _org(scope: Scope, data):
    return org_selectors.org_if_named(scope=scope, code=(data or {}).get("org"))


# The member list's status choice: without one it lists the members on the roll (在册: full and probationary,
# the number the home page and the org page show); "all" adds the suspended, transferred-out and ended
# memberships, which are kept (MEM-NO-DELETE) but no longer counted.
ALL_STATUSES = "all"
STATUS_CHOICES = [*MemberStatus.choices, (ALL_STATUSES, _("全部（含停止党籍、转出和已终止）"))]


def statuses_of(status: str | None) -> tuple[str, ...] | None:
    """The statuses a status choice lists: one, every one ("all": None, no filter) or, without a choice, the
    members on the roll (ACTIVE_STATUSES)."""
    if status == ALL_STATUSES:
        return None
    if status:
        return (status,)
    return tuple(ACTIVE_STATUSES)


class MemberFilter(django_filters.FilterSet):
    """The member list (page, .xlsx export and `GET /members`): members the caller may read, sorted by
    pinyin. `self.org` is the org of `?org=`, if any."""

    org = django_filters.CharFilter(
        label=_("组织代码"),
        method="filter_org",
        max_length=32,
        help_text="Code of an org: members of its whole subtree",
    )
    group = django_filters.CharFilter(
        label=_("党小组"),
        method="filter_group",
        max_length=32,
        help_text="Code of a party group: the members assigned to it",
    )
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_q",
        max_length=60,
        help_text="Name, pinyin, initials (zs → 张三), phone, ID number or its last four characters",
        widget=forms.TextInput(
            attrs={"placeholder": _("姓名、拼音或首字母、电话、身份证号"), "type": "search"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("党员状态"),
        choices=STATUS_CHOICES,
        empty_label=_("在册党员（正式、预备）"),
        method="filter_status",
        help_text="One status; 'all' for every record, ended ones included; none: full and probationary",
    )
    education = django_filters.ChoiceFilter(
        label=_("学历"), choices=Education.choices, empty_label=_("全部学历")
    )
    occupation = django_filters.ChoiceFilter(
        label=_("人员类别"), choices=Occupation.choices, empty_label=_("全部类别")
    )
    flags = django_filters.MultipleChoiceFilter(
        label=_("标记"),
        choices=FLAG_CHOICES,
        method="filter_flags",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    warning = django_filters.ChoiceFilter(
        label=_("提醒"),
        choices=list(MEMBER_WARNING_RULES.items()),
        empty_label=_("全部"),
        method="filter_warning",
        help_text="A MEM-* warning rule: the members whose record carries it today",
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.scope = scope
        self.org = _org(scope, data)
        super().__init__(data, queryset=selectors.member_list(scope=scope, org=self.org), **kwargs)

    @property
    def status_choice(self) -> str:
        """The status asked for ("" when none: the members on the roll), once the filters are applied."""
        applied = self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        return applied.get("status") or ""

    def filter_queryset(self, queryset):
        """The filters applied; without a status, the list keeps to the members on the roll (an empty choice
        never reaches `filter_status`)."""
        queryset = super().filter_queryset(queryset)
        if not self.status_choice:
            queryset = queryset.filter(status__in=ACTIVE_STATUSES)
        return queryset

    def filter_status(self, queryset, name, value):
        statuses = statuses_of(value)
        return queryset if statuses is None else queryset.filter(status__in=statuses)

    # The filters the maintained member figures (per org and status) can count; any other narrows the list
    # beyond them.
    COUNTED_BY_FIGURES = ("org", "status")

    @property
    def paged(self):
        """`qs` for a paginator (the list page, `GET /members`): when the list is narrowed by org and status
        only, its length comes from the maintained member figures (`selectors.member_count`) rather than a
        COUNT over the members — the same number — and a long list is read in its order (`broad`);
        otherwise the paginator counts as usual."""
        qs = self.qs  # binds and validates the form: cleaned_data holds exactly the filters applied
        applied = self.form.cleaned_data if self.is_bound else {}
        if any(v not in EMPTY_VALUES for k, v in applied.items() if k not in self.COUNTED_BY_FIGURES):
            return qs
        statuses = statuses_of(applied.get("status") or None)
        total = selectors.member_count(scope=self.scope, org=self.org, statuses=statuses)
        if total >= selectors.BROAD_LIST:
            # The filters applied are org and status only: the same list, read in its order.
            qs = selectors.member_list(scope=self.scope, org=self.org, statuses=statuses, broad=True)
        return Counted(qs, total)

    def filter_org(self, queryset, name, value):
        return queryset  # the queryset is already the org's subtree (member_list checks the roles there)

    def filter_warning(self, queryset, name, value):
        return queryset.filter(selectors.warned_q(value, timezone.localdate()))

    def filter_group(self, queryset, name, value):
        return queryset.filter(party_group__code=value.strip(), party_group__kind=OrgKind.GROUP)

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_q(value, self.scope)) if value else queryset

    def filter_flags(self, queryset, name, value):
        for flag in value:
            if flag in dict(FLAG_CHOICES):
                queryset = queryset.filter(**{flag: True})
        return queryset


DIRECTIONS = [
    ("in", _("待接收")),
    ("out", _("待回执")),
]


class TransferFilter(django_filters.FilterSet):
    """The transfer lists (the transfers page's sections and `GET /transfers`): `in`, letters addressed to
    the caller's orgs awaiting receipt; `out`, letters issued by them whose receipt is owed; `?org=` narrows
    both to an org's subtree."""

    org = django_filters.CharFilter(
        label=_("组织代码"), method="filter_org", max_length=32, help_text="Code of an org: its subtree only"
    )
    direction = django_filters.ChoiceFilter(
        label=_("方向"),
        choices=DIRECTIONS,
        method="filter_direction",
        required=True,
        help_text="in: letters to be received by the caller's orgs; out: receipts still owed",
    )

    class Meta:
        model = Transfer
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.scope = scope
        self.org = _org(scope, data)
        super().__init__(data, queryset=Transfer.objects.within(scope).none(), **kwargs)

    def filter_org(self, queryset, name, value):
        return queryset  # applied by the direction's selector

    def filter_direction(self, queryset, name, value):
        return self.section(value)

    def section(self, direction: str):
        """The letters of one direction, for pages that show both."""
        select = selectors.transfers_incoming if direction == "in" else selectors.transfers_outgoing
        return select(scope=self.scope, org=self.org)
