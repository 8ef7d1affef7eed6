"""The words the node catalog is written in: procedures, phases, the events that open and
close nodes, and the case transitions a checkpoint node can gate.

The catalog file (nodes/catalog/nodes.csv) may only use these codes; the loader refuses
anything else with the file line. The case lifecycle (cases app) records these events and
implements these transitions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    CIVIL_ORDINARY = "civil_ordinary", _("Civil first instance, ordinary (民事一审普通程序)")
    CIVIL_SIMPLE = "civil_simple", _("Civil first instance, simple (民事一审简易程序)")
    CIVIL_SMALL_CLAIMS = "civil_small_claims", _("Small claims (小额诉讼)")
    CRIMINAL_ORDINARY = (
        "criminal_ordinary",
        _("Criminal first instance, ordinary (刑事一审普通程序)"),
    )
    CRIMINAL_SUMMARY = "criminal_summary", _("Criminal first instance, summary (刑事简易程序)")
    CRIMINAL_FAST = "criminal_fast", _("Criminal fast-track (刑事速裁程序)")
    CRIMINAL_PRIVATE = "criminal_private", _("Private prosecution (刑事自诉)")
    ADMIN_ORDINARY = (
        "admin_ordinary",
        _("Administrative first instance, ordinary (行政一审普通程序)"),
    )
    ADMIN_SIMPLE = "admin_simple", _("Administrative first instance, simple (行政一审简易程序)")
    CIVIL_SECOND = "civil_second", _("Civil second instance (民事二审)")
    CRIMINAL_SECOND = "criminal_second", _("Criminal second instance (刑事二审)")
    ADMIN_SECOND = "admin_second", _("Administrative second instance (行政二审)")
    CIVIL_RETRIAL_REVIEW = "civil_retrial_review", _("Civil retrial review (民事再审审查)")
    ADMIN_RETRIAL_REVIEW = "admin_retrial_review", _("Administrative retrial review (行政再审审查)")
    CRIMINAL_PETITION = "criminal_petition", _("Criminal petition review (刑事申诉审查)")
    ENFORCEMENT = "enforcement", _("Enforcement (执行实施)")
    ENFORCEMENT_OBJECTION = "enforcement_objection", _("Enforcement objection (执行异议)")
    PRE_LITIGATION = "pre_litigation", _("Pre-litigation mediation (诉前调解)")
    PRESERVATION = "preservation", _("Preservation (保全)")


class Phase(models.TextChoices):
    FILING = "filing", _("Filing (立案)")
    CIVIL_FIRST = "civil_first", _("Civil first instance (民事一审)")
    CRIMINAL_FIRST = "criminal_first", _("Criminal first instance (刑事一审)")
    ADMIN_FIRST = "admin_first", _("Administrative first instance (行政一审)")
    SECOND_INSTANCE = "second_instance", _("Second instance (二审)")
    RETRIAL = "retrial", _("Retrial (再审)")
    ENFORCEMENT = "enforcement", _("Enforcement (执行)")
    PUBLICATION = "publication", _("Publication, hearings and archiving (文书公开/庭审/归档)")
    SUPERVISION = "supervision", _("Cross-procedure supervision (跨程序监督)")


class Level(models.TextChoices):
    GENERAL = "general", _("General (一般)")
    IMPORTANT = "important", _("Important (重要)")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")


class Counting(models.TextChoices):
    CALENDAR = (
        "calendar",
        _("Calendar days; a last day on a rest day or holiday moves to the next working day"),
    )
    CUSTODY = "custody", _("Custody period; the last day does not move (刑诉法 art 105)")
    WORKING = "working", _("Working days only")
    BEFORE = (
        "before",
        _("Before the anchor date (e.g. at least 3 days before the hearing); does not move"),
    )


class BasisStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified (article text read)")
    VERIFIED_SECONDHAND = "verified_secondhand", _("Verified second-hand (quoted by a third party)")
    VERIFIED_LOCAL = "verified_local", _("Verified local rule or practice")
    FROM_MEMORY = "from_memory", _("From memory (not confirmed)")


VERIFIED_STATUSES = frozenset(
    {BasisStatus.VERIFIED, BasisStatus.VERIFIED_SECONDHAND, BasisStatus.VERIFIED_LOCAL}
)

# Events recorded on a case. A node opens on one event and closes on any of its closing
# events; the due date runs from the event's time (or, for Counting.BEFORE, back from the
# date the event schedules, such as the hearing date).
EVENTS: dict[str, tuple[str, str]] = {
    # Filing and registration
    "complaint_received": ("收到起诉（申请）材料", "Complaint or application received"),
    "amendment_requested": ("一次性告知补正", "One-time notice to amend"),
    "amendment_received": ("收到补正材料", "Amended materials received"),
    "case_filed": ("立案", "Case filed"),
    "filing_refused": ("裁定不予受理", "Filing refused by ruling"),
    "fee_notice_served": ("交费通知送达", "Fee notice served"),
    "fee_paid": ("预交诉讼费", "Court fee paid"),
    "fee_deferral_decided": ("缓交决定", "Fee deferral decided"),
    "case_assigned": ("分案（确定承办人）", "Case assigned to a judge"),
    "file_transferred_to_division": ("移送审判庭", "File handed to the trial division"),
    "panel_formed": ("组成合议庭", "Panel formed"),
    "panel_notified": ("告知合议庭组成人员", "Parties told the panel"),
    "jurisdiction_objection_received": ("收到管辖异议", "Jurisdiction objection received"),
    "jurisdiction_objection_decided": ("管辖异议裁定", "Jurisdiction objection decided"),
    "recusal_requested": ("申请回避", "Recusal requested"),
    "recusal_decided": ("回避决定", "Recusal decided"),
    "filing_complaint_received": ("收到立案投诉", "Complaint about refusal to file received"),
    "filing_complaint_answered": ("立案投诉处理完毕", "Filing complaint answered"),
    # Pre-litigation mediation
    "mediation_requested": ("收到诉前调解申请", "Pre-litigation mediation requested"),
    "mediator_assigned": ("指定调解组织/调解员", "Mediator assigned"),
    "mediation_referred": ("委派调解", "Mediation referred"),
    "mediation_accepted": ("调解员接受委派", "Mediator accepted the referral"),
    "mediation_succeeded": ("调解成功", "Mediation succeeded"),
    "mediation_failed": ("调解不成", "Mediation failed"),
    "confirmation_applied": ("申请司法确认", "Judicial confirmation applied for"),
    "confirmation_decided": ("司法确认裁定", "Judicial confirmation decided"),
    # Preservation
    "preservation_applied": ("收到保全申请", "Preservation applied for"),
    "security_posted": ("提供担保", "Security posted"),
    "preservation_ruled": ("保全裁定", "Preservation ruled"),
    "preservation_executed": ("保全措施执行", "Preservation carried out"),
    "preservation_review_applied": ("申请保全复议", "Review of preservation applied for"),
    "preservation_review_decided": ("保全复议决定", "Preservation review decided"),
    "preservation_lift_applied": ("申请解除保全", "Lifting of preservation applied for"),
    "preservation_lifted": ("解除保全", "Preservation lifted"),
    "preservation_expiry_set": ("保全期限确定", "Preservation expiry date set"),
    "preservation_renewed": ("续行保全", "Preservation renewed"),
    # Service and exchange
    "complaint_copy_served": ("起诉状副本送达", "Complaint copy served"),
    "defence_received": ("收到答辩状", "Defence received"),
    "defence_copy_served": ("答辩状副本送达", "Defence copy served"),
    "publication_service_started": ("公告送达开始", "Service by publication started"),
    "publication_service_ended": ("公告期满", "Publication period ended"),
    "evidence_deadline_set": ("指定举证期限", "Evidence deadline set"),
    "evidence_exchanged": ("证据交换", "Evidence exchanged"),
    "investigation_requested": ("委托外地调查", "Investigation by another court requested"),
    "investigation_returned": ("外地调查完毕", "Investigation returned"),
    # Hearings
    "hearing_scheduled": ("开庭排期", "Hearing scheduled"),
    "summons_served": ("传票送达", "Summons served"),
    "hearing_notice_published": ("开庭公告", "Hearing notice published"),
    "indictment_copy_served": ("起诉书副本送达被告人", "Indictment copy served on the defendant"),
    "prosecutor_notified": ("通知检察院开庭", "Procuratorate told of the hearing"),
    "witness_list_received": ("收到证人名单", "Witness list received"),
    "hearing_held": ("开庭", "Hearing held"),
    "hearing_adjourned": ("延期开庭", "Hearing adjourned"),
    "transcript_read": ("庭审笔录阅读签字", "Transcript read and signed"),
    "recording_checked": ("庭审录音录像完整性核查", "Hearing recording checked complete"),
    "stream_approved": ("庭审直播审批", "Live stream approved"),
    "hearing_streamed": ("庭审直播/录播", "Hearing streamed"),
    # Judgment and after
    "judgment_pronounced": ("宣判", "Judgment pronounced"),
    "judgment_served": ("裁判文书送达", "Judgment served"),
    "mediation_document_served": ("调解书送达", "Mediation document served"),
    "case_closed": ("结案", "Case closed"),
    "appeal_received": ("收到上诉状", "Appeal received"),
    "appeal_copy_served": ("上诉状副本送达", "Appeal copy served"),
    "appeal_defence_received": ("收到上诉答辩状", "Defence to the appeal received"),
    "appeal_fee_notice_served": ("上诉费交费通知送达", "Appeal fee notice served"),
    "appeal_fee_paid": ("预交上诉费", "Appeal fee paid"),
    "appeal_transferred": ("上诉移送", "Appeal file sent up"),
    "protest_received": ("收到抗诉书", "Protest received"),
    "judgment_effective": ("裁判生效", "Judgment effective"),
    "fees_refunded": ("退还诉讼费", "Court fees refunded"),
    "published_online": ("文书上网", "Judgment published online"),
    "publication_exempted": ("不上网审批", "Exempted from online publication"),
    "archived": ("归档", "Archived"),
    "process_disclosed": ("审判流程信息公开", "Process information disclosed"),
    # Criminal
    "indictment_received": ("收到起诉书及案卷", "Indictment and file received"),
    "materials_supplemented": ("检察院补送材料", "Procuratorate supplemented materials"),
    "counsel_notified": ("告知委托辩护人/法律援助", "Defendant told of the right to counsel"),
    "agent_notified": ("告知委托诉讼代理人", "Party told of the right to an agent"),
    "civil_claim_received": ("收到附带民事起诉状", "Incidental civil claim received"),
    "civil_claim_accepted": ("附带民事诉讼受理", "Incidental civil claim accepted"),
    "civil_claim_copy_served": ("附带民事起诉状副本送达", "Incidental civil claim copy served"),
    "sentence_handed_over": ("交付执行", "Sentence handed over for execution"),
    "community_correction_notified": ("通知社区矫正机构", "Community-corrections agency notified"),
    "death_review_reported": ("死刑复核报请", "Death sentence reported for review"),
    "prosecutor_file_review_started": ("检察院阅卷", "Procuratorate reading the file"),
    "prosecutor_file_returned": ("检察院阅卷完毕", "Procuratorate returned the file"),
    # Second instance and retrial
    "appeal_materials_received": ("二审收到上诉材料及案卷", "Appeal materials and file received"),
    "materials_incomplete_notified": ("通知补齐材料", "Missing materials requested"),
    "materials_completed": ("材料补齐", "Materials completed"),
    "file_requested": ("调卷", "File requested"),
    "file_received": ("收到调卷", "File received"),
    "retrial_application_received": ("收到再审申请", "Retrial application received"),
    "acceptance_notice_sent": ("发送受理/应诉通知书", "Acceptance and response notices sent"),
    "opinion_received": ("收到对方书面意见", "Other side's written opinion received"),
    "retrial_decided": ("再审审查裁定", "Retrial review decided"),
    "recommendation_received": (
        "收到再审检察建议",
        "Procuratorial retrial recommendation received",
    ),
    "recommendation_answered": ("再审检察建议审查完毕", "Retrial recommendation answered"),
    "petition_received": ("收到刑事申诉", "Criminal petition received"),
    "petition_decided": ("刑事申诉审查决定", "Criminal petition decided"),
    "retrial_ordered": ("决定再审/提审", "Retrial ordered"),
    "remand_received": ("收到发回重审案件", "Remanded case received"),
    # Enforcement
    "enforcement_notice_sent": (
        "发出执行通知书及报告财产令",
        "Enforcement notice and asset-report order sent",
    ),
    "asset_leads_requested": ("通知申请人提供财产线索", "Creditor asked for asset leads"),
    "asset_lead_received": ("收到财产线索", "Asset lead received"),
    "asset_lead_checked": ("财产线索核查完毕", "Asset lead checked"),
    "online_search_done": ("网络执行查控", "Online asset search done"),
    "asset_investigation_done": ("财产调查完毕", "Asset investigation finished"),
    "property_seized": ("查封/扣押/冻结", "Property seized or frozen"),
    "seizure_renewed": ("续行查封/冻结", "Seizure renewed"),
    "valuation_started": ("启动确定参考价", "Valuation started"),
    "valuation_commissioned": ("委托询价/评估", "Enquiry or appraisal commissioned"),
    "valuation_report_received": ("收到询价/评估报告", "Valuation report received"),
    "valuation_report_sent": ("报告发送当事人", "Valuation report sent to the parties"),
    "reference_price_fixed": ("确定参考价", "Reference price fixed"),
    "sale_started": ("启动变价程序", "Sale started"),
    "auction_announced": ("发布拍卖公告", "Auction announced"),
    "auction_held": ("网络拍卖", "Auction held"),
    "auction_failed": ("流拍", "Auction failed"),
    "sale_price_paid": ("成交价款付清", "Sale price paid"),
    "sale_ruling_served": ("成交/抵债裁定送达", "Sale ruling served"),
    "property_handed_over": ("移交拍卖财产", "Property handed over to the buyer"),
    "money_received": ("案款到账", "Money received"),
    "money_paid_out": ("案款发放", "Money paid out"),
    "restriction_issued": ("限制消费令/失信名单", "Consumption restriction or blacklisting issued"),
    "termination_conditions_checked": ("终本条件核查", "Conditions for closing this round checked"),
    "round_terminated": ("终结本次执行程序", "This round of enforcement terminated"),
    "enforcement_completed": ("执行完毕", "Enforcement completed"),
    "post_termination_search_done": ("终本后定期查控", "Search after termination done"),
    "objection_received": ("收到执行异议", "Enforcement objection received"),
    "objection_filed": ("执行异议立案", "Enforcement objection docketed"),
    "objection_decided": ("执行异议裁定", "Enforcement objection decided"),
    "review_applied": ("申请复议", "Review applied for"),
    "review_file_sent": ("复议案卷报送", "Review file sent up"),
    "review_decided": ("复议决定", "Review decided"),
    "distribution_plan_served": ("分配方案送达", "Distribution plan served"),
    "entrusted": ("委托执行", "Enforcement entrusted to another court"),
    # Time-limit control and supervision
    "extension_requested": ("申请延长审限", "Extension of the time limit requested"),
    "extension_decided": ("延长审限审批", "Extension decided"),
    "suspension_started": ("审限扣除/中止开始", "Suspension started"),
    "suspension_ended": ("审限扣除/中止结束", "Suspension ended"),
    "conversion_decided": ("程序转换裁定", "Procedure conversion decided"),
    "conversion_fee_paid": ("转普补交受理费", "Top-up fee after conversion paid"),
    "supervision_flagged": ("四类案件标记", "Flagged as a supervised case (四类案件)"),
    "supervision_recorded": (
        "院庭长监督记录",
        "Supervision by a president or division head recorded",
    ),
    "interference_recorded": ("三个规定记录", "Record under the three rules"),
    "trial_limit_reached": ("审限届满", "Trial time limit reached"),
}

# Conditions under which a node opens at all (empty: always). The case records the facts
# (custody, how judgment was pronounced, what was seized); the engine checks them.
CONDITIONS: dict[str, tuple[str, str]] = {
    "stream_required": ("应当直播的庭审", "The hearing is to be streamed"),
    "public_hearing": ("公开开庭", "The hearing is public"),
    "in_custody": ("被告人在押", "The defendant is in custody"),
    "not_in_custody": ("被告人未羁押", "The defendant is not in custody"),
    "pronounced_in_court": ("当庭宣判", "Judgment pronounced in court"),
    "pronounced_later": ("定期宣判", "Judgment pronounced on a later date"),
    "foreign_party": ("当事人在中华人民共和国领域内没有住所", "A party has no domicile in China"),
    "money_claim": ("金钱给付内容", "The claim is for money"),
    "movables": ("动产", "Movable property"),
    "real_estate": ("不动产或其他财产权", "Real estate or other property rights"),
    "bank_deposit": ("银行存款", "Bank deposits"),
    "capital_case": ("可能判处死刑", "A death sentence is possible"),
    "sentence_over_three_years": (
        "可能判处三年以上有期徒刑",
        "The likely sentence is over three years",
    ),
    "sentence_over_one_year": ("可能判处一年以上有期徒刑", "The likely sentence is over one year"),
    "community_correction": ("判处管制、缓刑等社区矫正", "Sentenced to community corrections"),
    "urgent": ("情况紧急", "Urgent"),
    "appeal_against_ruling": ("对裁定的上诉", "The appeal is against a ruling"),
    "appeal_against_judgment": ("对判决的上诉", "The appeal is against a judgment"),
}

# Case transitions a checkpoint (设卡) node may gate: the transition is refused while the
# node is not done. The cases app implements each of them.
GATES: dict[str, tuple[str, str]] = {
    "assign": ("分案", "Assign"),
    "open_hearing": ("开庭", "Open the hearing"),
    "pronounce": ("宣判", "Pronounce judgment"),
    "close": ("结案", "Close the case"),
    "transfer_appeal": ("上诉移送", "Send the appeal up"),
    "make_effective": ("确认生效", "Record the judgment as effective"),
    "archive": ("归档", "Archive"),
    "hand_over": ("交付执行", "Hand over for execution"),
    "terminate_round": ("终结本次执行", "Terminate this round of enforcement"),
    "pay_out": ("发放案款", "Pay out money"),
    "convert": ("程序转换", "Convert the procedure"),
    "docket": ("立案", "Docket"),
}

OWNER_ROLES = (
    "registrar",
    "judge",
    "assistant",
    "clerk",
    "service_staff",
    "division_head",
    "president",
    "mediator",
    "bailiff",
    "trial_manager",
)
