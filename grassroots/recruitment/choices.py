from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    CANCELLED = "cancelled", _("已取消预备党员资格")


# The stages of an open dossier: the board's columns.
BOARD_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


class EventKind(models.TextChoices):
    """The steps of a dossier; the values are the API's `event` names (issue 3)."""

    TALK = "talk", _("入党谈话")
    ACTIVIST_DESIGNATED = "activist_designated", _("确定为入党积极分子")
    MENTORS_ASSIGNED = "mentors_assigned", _("指定培养联系人")
    ASSESSMENT = "assessment", _("培养考察")
    CANDIDATE_DESIGNATED = "candidate_designated", _("确定为发展对象")
    SPONSORS_ASSIGNED = "sponsors_assigned", _("确定入党介绍人")
    POLITICAL_REVIEW = "political_review", _("政治审查")
    TRAINING_COMPLETED = "training_completed", _("集中培训")
    PRE_REVIEW = "pre_review", _("上级党委预审")
    PUBLIC_NOTICE = "public_notice", _("公示")
    BRANCH_VOTE = "branch_vote", _("支部大会讨论接收预备党员")
    APPROVAL = "approval", _("上级党委审批")
    OATH = "oath", _("入党宣誓")
    CONVERSION_VOTE = "conversion_vote", _("支部大会讨论转正")
    CONVERSION_APPROVAL = "conversion_approval", _("上级党委审批转正")
    PROBATION_EXTENDED = "probation_extended", _("延长预备期")
    PROBATION_CANCELLED = "probation_cancelled", _("取消预备党员资格")


class ActivistSource(models.TextChoices):
    """REC-ACTIVIST-SOURCE: where an activist comes from."""

    MEMBER_RECOMMENDATION = "member_recommendation", _("党员推荐")
    YOUTH_LEAGUE_RECOMMENDATION = "youth_league_recommendation", _("群团组织推优")


class Decider(models.TextChoices):
    """Who decided a designation (REC-ACTIVIST-SOURCE)."""

    BRANCH_COMMITTEE = "branch_committee", _("支部委员会")
    GENERAL_MEETING = "general_meeting", _("支部党员大会")


class ProbationOutcome(models.TextChoices):
    """REC-OUTCOME: what the branch resolves at the end of probation."""

    CONVERT = "convert", _("按期转正")
    EXTEND = "extend", _("延长预备期")
    CANCEL = "cancel", _("取消预备党员资格")


class VoteExclusionReason(models.TextChoices):
    """REC-VOTERS-FULL: why a full member of the branch is not counted among those who should attend a vote
    (中国共产党支部工作条例（试行）Art. 11 and common practice). Members under 留党察看 are always excluded."""

    DISCIPLINARY_PROBATION = "disciplinary_probation", _("受留党察看处分")
    ILLNESS = "illness", _("因病不能表达意志")
    ABROAD = "abroad", _("出国（境）半年以上")
    UNDER_INVESTIGATION = "under_investigation", _("正在接受纪律审查")
    AWAY_APPROVED = "away_approved", _("外出经批准不能参加")
    OTHER = "other", _("其他")


class VoteOpinion(models.TextChoices):
    """A written opinion (书面表决意见) of a full member who cannot attend a vote."""

    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class DossierDocumentKind(models.TextChoices):
    """The documents (材料) of a dossier: what each step produces, plus the letters the person writes."""

    APPLICATION_LETTER = "application_letter", _("入党申请书")
    TALK_RECORD = "talk_record", _("谈话记录")
    RECOMMENDATION = "recommendation", _("推荐材料")
    ASSESSMENT = "assessment", _("培养考察记录")
    POLITICAL_REVIEW = "political_review", _("政治审查结论")
    TRAINING = "training", _("培训结业证明")
    PUBLIC_NOTICE = "public_notice", _("公示材料")
    PRE_REVIEW = "pre_review", _("预审意见")
    BRANCH_RESOLUTION = "branch_resolution", _("支部大会决议")
    APPROVAL = "approval", _("审批意见")
    OATH = "oath", _("入党宣誓记录")
    CONVERSION_APPLICATION = "conversion_application", _("转正申请书")
    OTHER = "other", _("其他")


# The document a step usually produces: the kind the upload form of that step starts with.
STEP_DOCUMENT_KIND: dict[str, str] = {
    EventKind.TALK: DossierDocumentKind.TALK_RECORD,
    EventKind.ACTIVIST_DESIGNATED: DossierDocumentKind.RECOMMENDATION,
    EventKind.MENTORS_ASSIGNED: DossierDocumentKind.OTHER,
    EventKind.ASSESSMENT: DossierDocumentKind.ASSESSMENT,
    EventKind.CANDIDATE_DESIGNATED: DossierDocumentKind.ASSESSMENT,
    EventKind.SPONSORS_ASSIGNED: DossierDocumentKind.OTHER,
    EventKind.POLITICAL_REVIEW: DossierDocumentKind.POLITICAL_REVIEW,
    EventKind.TRAINING_COMPLETED: DossierDocumentKind.TRAINING,
    EventKind.PRE_REVIEW: DossierDocumentKind.PRE_REVIEW,
    EventKind.PUBLIC_NOTICE: DossierDocumentKind.PUBLIC_NOTICE,
    EventKind.BRANCH_VOTE: DossierDocumentKind.BRANCH_RESOLUTION,
    EventKind.APPROVAL: DossierDocumentKind.APPROVAL,
    EventKind.OATH: DossierDocumentKind.OATH,
    EventKind.CONVERSION_VOTE: DossierDocumentKind.BRANCH_RESOLUTION,
    EventKind.CONVERSION_APPROVAL: DossierDocumentKind.APPROVAL,
    EventKind.PROBATION_EXTENDED: DossierDocumentKind.APPROVAL,
    EventKind.PROBATION_CANCELLED: DossierDocumentKind.APPROVAL,
}
# Documents of the dossier itself (not of one step) start as the application letter.
DOSSIER_DOCUMENT_KIND = DossierDocumentKind.APPLICATION_LETTER
