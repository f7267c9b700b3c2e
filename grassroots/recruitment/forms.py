"""Input shapes for recruitment dossiers. Plain forms: the services check the rules.

The step form is built per step kind from the payload fields of each step
(`payloads.input_fields`), so a field added to a rules event appears here without a new form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.members.choices import Education, Occupation, Sex
from grassroots.orgs.forms import DateInput

from . import payloads
from .choices import (
    ActivistSource,
    Decider,
    DossierDocumentKind,
    EventKind,
    ProbationOutcome,
    VoteExclusionReason,
    VoteOpinion,
)
from .payloads import BOOL_CHOICES, FIELD_LABELS
from .services.meeting_votes import MEETING_FIELD

CHOICES = {
    "source": ActivistSource.choices,
    "decided_by": Decider.choices,
    "outcome": ProbationOutcome.choices,
}
YES_NO = ((True, _("是")), (False, _("否")))
# Fields the page does not ask: a vote in the UI is always on one person (REC-VOTE-ONE-BY-ONE); the roster is
# asked member by member (`EventForm.roster_rows`).
HIDDEN_FIELDS = frozenset({"candidates", "roster"})
# Asked in the UI only through the roster: the server counts them from it.
ROSTER_COUNTS = frozenset(payloads.ROSTER_COUNTS)
# The reasons a secretary may pick: 留党察看 comes from the member record, never from the form.
PICKABLE_EXCLUSIONS = [
    (v, label) for v, label in VoteExclusionReason.choices if v != VoteExclusionReason.DISCIPLINARY_PROBATION
]


def _to_bool(value: Any) -> bool:
    return value in (True, "True", "true", "1", "on")


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    applied_on = forms.DateField(
        label=_("提出入党申请日期"), widget=DateInput, help_text=_("入党申请书落款日期")
    )
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    occupation = forms.ChoiceField(
        label=_("人员类别"), choices=[("", "—"), *Occupation.choices], required=False
    )


class EventForm(forms.Form):
    """One step of a dossier: its date and the fields of its kind. `people` are the branch's full members
    ((id, name) pairs) offered for mentors and sponsors.

    A vote with an `electorate` (the branch's full members on the vote date, as (id, name, under 留党察看)
    triples) is asked as a roster: per member 到会, or a written opinion, or a reason not to count them; those
    under 留党察看 are shown as excluded and ask nothing. The counts the roster gives are not asked; only the
    secret ballot's yes / no / abstain are."""

    on = forms.DateField(label=_("日期"), widget=DateInput)

    def __init__(self, *args, kind: str, people=(), electorate=None, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.label = EventKind(kind).label
        known = payloads.input_fields(kind)
        self.with_roster = electorate is not None and payloads.ROSTER_FIELD in known
        self.electorate = list(electorate or ()) if self.with_roster else []
        for name, (type_, required) in known.items():
            if name in HIDDEN_FIELDS or (self.with_roster and name in ROSTER_COUNTS):
                continue
            self.fields[name] = self._field(name, type_, required, people)
        if self.with_roster and meetings:
            # A vote taken at a general meeting: who was present comes from that meeting's attendance.
            self.fields[MEETING_FIELD] = forms.TypedChoiceField(
                label=_("表决所在的党员大会"),
                choices=[("", _("不关联会议（按下方名单逐人登记）")), *meetings],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("选择后，到会人员以该次会议的出席记录为准，下方的“到会”勾选不再采用"),
            )
            self.order_fields(["on", MEETING_FIELD])
        for pk, _name, watched in self.electorate:
            if watched:
                continue
            self.fields[f"present_{pk}"] = forms.BooleanField(label=_("到会"), required=False)
            self.fields[f"written_{pk}"] = forms.ChoiceField(
                label=_("书面意见"), required=False, choices=[("", "—"), *VoteOpinion.choices]
            )
            self.fields[f"excluded_{pk}"] = forms.ChoiceField(
                label=_("不计入应到"), required=False, choices=[("", "—"), *PICKABLE_EXCLUSIONS]
            )
            self.fields[f"note_{pk}"] = forms.CharField(label=_("说明"), required=False, max_length=200)

    @property
    def main_fields(self):
        """The step's own fields (the roster's per-member fields are laid out by `roster_rows`)."""
        prefixes = ("present_", "written_", "excluded_", "note_")
        return [self[name] for name in self.fields if not name.startswith(prefixes)]

    @property
    def roster_rows(self) -> list[dict[str, Any]]:
        rows = []
        for pk, name, watched in self.electorate:
            row: dict[str, Any] = {"id": pk, "name": name, "watched": watched}
            if not watched:
                row |= {k: self[f"{k}_{pk}"] for k in ("present", "written", "excluded", "note")}
            rows.append(row)
        return rows

    @staticmethod
    def _field(name: str, type_: str, required: bool, people) -> forms.Field:
        label = FIELD_LABELS.get(name, name)
        if type_ == "ids":
            return forms.TypedMultipleChoiceField(
                label=label,
                choices=[(str(pk), person) for pk, person in people],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("本支部的正式党员"),
            )
        if name in CHOICES:
            return forms.ChoiceField(label=label, choices=CHOICES[name], required=required)
        if type_ == "bool":
            return forms.TypedChoiceField(
                label=label, choices=BOOL_CHOICES.get(name, YES_NO), coerce=_to_bool, initial=True
            )
        if type_ == "int":
            return forms.IntegerField(
                label=label, min_value=0, required=required, initial=None if required else 0
            )
        if type_.startswith("dt.date"):
            return forms.DateField(label=label, required=required, widget=DateInput)
        return forms.CharField(label=label, required=required, max_length=500, widget=forms.Textarea)

    def payload(self) -> dict[str, Any]:
        """The step's fields as the service takes them: empty optional fields are left to their defaults."""
        out = {}
        for name, value in self.cleaned_data.items():
            if name == "on" or value is None or value == "" or name not in self.main_names:
                continue
            out[name] = list(value) if isinstance(value, list | tuple) else value
        if self.with_roster:
            out[payloads.ROSTER_FIELD] = self._roster()
        return out

    @property
    def main_names(self) -> set[str]:
        return {f.name for f in self.main_fields}

    def _roster(self) -> dict[str, Any]:
        data = self.cleaned_data
        roster: dict[str, list] = {"excluded": [], "present": [], "written": []}
        for pk, _name, watched in self.electorate:
            if watched:
                continue
            if data.get(f"present_{pk}"):
                roster["present"].append(pk)
            if data.get(f"written_{pk}"):
                roster["written"].append({"member": pk, "opinion": data[f"written_{pk}"]})
            if data.get(f"excluded_{pk}"):
                roster["excluded"].append(
                    {"member": pk, "reason": data[f"excluded_{pk}"], "note": data.get(f"note_{pk}", "")}
                )
        return roster


class PolicyForm(forms.Form):
    """A new effective-dated recruitment policy for an org's subtree (services.policy_set checks it)."""

    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    activist_wait_months = forms.IntegerField(label=_("申请后确定积极分子的最短月数"), min_value=0)
    training_days = forms.IntegerField(label=_("集中培训天数"), min_value=0)
    training_hours = forms.IntegerField(label=_("集中培训学时"), min_value=0)
    notice_working_days = forms.IntegerField(label=_("公示工作日数"), min_value=0)
    notice_before = forms.MultipleChoiceField(
        label=_("须公示的步骤"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (k, EventKind(k).label)
            for k in (
                EventKind.ACTIVIST_DESIGNATED,
                EventKind.CANDIDATE_DESIGNATED,
                EventKind.BRANCH_VOTE,
                EventKind.CONVERSION_VOTE,
            )
        ],
    )
    extension_min_months = forms.IntegerField(label=_("延长预备期最短月数"), min_value=0)
    extension_max_months = forms.IntegerField(label=_("延长预备期最长月数"), min_value=0)
    approval_warn_months = forms.IntegerField(label=_("审批提醒月数"), min_value=0)
    approval_block_months = forms.IntegerField(label=_("审批期限月数"), min_value=0)
    conversion_vote_grace_months = forms.IntegerField(label=_("转正讨论宽限月数"), min_value=0)
    note = forms.CharField(label=_("依据文件或说明"), max_length=200, required=False)


class DocumentForm(forms.Form):
    """A document (材料) for the dossier, or for one of its steps (`event`). The file's type and size are
    checked by the service (DOC-TYPE, DOC-SIZE, DOC-EMPTY)."""

    file = forms.FileField(label=_("文件"), allow_empty_file=True)
    kind = forms.ChoiceField(label=_("材料类别"), choices=DossierDocumentKind.choices)
    title = forms.CharField(label=_("材料名称"), max_length=200, required=False)
    event = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StepDocumentForm(forms.Form):
    """The optional document sent with a step (prefix "document"): kept in the step's transaction."""

    file = forms.FileField(
        label=_("材料文件（可选）"),
        required=False,
        allow_empty_file=True,
        help_text=_("如有本步骤形成的材料（谈话记录、决议、批复等），可一并上传"),
    )
    kind = forms.ChoiceField(label=_("材料类别"), choices=DossierDocumentKind.choices, required=False)
    title = forms.CharField(label=_("材料名称"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=200)


class VoidForm(forms.Form):
    """Void a wrongly recorded step (REC-VOID): the reason is required."""

    reason = forms.CharField(label=_("作废理由"), max_length=200)
