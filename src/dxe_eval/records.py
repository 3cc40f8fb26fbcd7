"""The built-in record types of the input contract (see ``docs/data.md``).

Registered through ``dxe_eval_register_record_types`` like any plugin's.
"""

from __future__ import annotations

from dxe_eval.hookspecs import hookimpl
from dxe_eval.read.csv import CSV_READER
from dxe_eval.read.jsonl import JSONL_READER
from dxe_eval.read.raw import Reader
from dxe_eval.schema import Column, RecordType, RefCheck, RowCheck, choice
from dxe_eval.service import REQUEST_KINDS

C = Column

OUTCOMES = choice(
    ("delivered", ("已办结", "办结", "已落实", "落实", "已完成")),
    ("not_delivered", ("未落实", "不落实", "未办结", "服务不落实")),
    ("withdrawn", ("已撤回", "撤回", "撤销")),
    ("open", ("办理中", "在办", "未办结中", "处理中")),
)
KINDS = REQUEST_KINDS
TIERS = choice(
    ("national", ("国家级", "中央", "全国")),
    ("provincial", ("省级", "省级主要媒体", "省级主流媒体")),
    ("city", ("市级", "地市级", "市州")),
    ("industry", ("行业", "行业媒体")),
)
LEVEL = choice(
    ("province", ("省级", "省")),
    ("city", ("市级", "市", "市州")),
    ("county", ("县级", "县", "县市区")),
)
SANCTION_LEVELS = choice(
    ("warning", ("警示",)),
    ("rectify", ("责令改正",)),
    ("criticize", ("通报批评",)),
)
LISTS = choice(("capability", ("能力清单",)), ("key", ("重点项目", "重点项目清单")))
GRADES = choice(
    ("优秀", ("excellent",)), ("良好", ("good",)), ("合格", ("pass",)), ("不合格", ("fail",))
)

UNITS = RecordType(
    name="units",
    label="单位",
    id_column="unit_id",
    candidate_kind="unit",
    category_column="category",
    candidate_fields={"staff_count": "staff_count"},
    doc="服务单位：处室、直属单位、市州局、县市区局、社会服务力量。",
    columns=(
        C(name="unit_id", label="单位编号", required=True, example="U01"),
        C(name="name", label="单位名称", required=True, example="质量发展处"),
        C(
            name="category",
            label="类别",
            required=True,
            example="处室",
            doc="同类比较的分组（处室、直属单位、市州局……）",
        ),
        C(name="level", label="层级", type="choice", choices=LEVEL, example="省级"),
        C(name="parent_id", label="上级单位编号", example=""),
        C(name="staff_count", label="人数", type="int", example="24"),
    ),
)
PEOPLE = RecordType(
    name="people",
    label="人员",
    id_column="person_id",
    candidate_kind="person",
    unit_column="unit_id",
    doc="服务人员（店小二）。",
    columns=(
        C(name="person_id", label="人员编号", required=True, example="P001"),
        C(name="name", label="姓名", required=True, example="张敏"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
    ),
)
PROJECTS = RecordType(
    name="projects",
    label="项目",
    id_column="project_id",
    candidate_kind="project",
    unit_column="unit_id",
    candidate_fields={"leader_id": "leader_id", "completed_on": "completed_on"},
    counts_for="unit_id",
    doc="能力清单与重点项目清单中的项目。",
    columns=(
        C(name="project_id", label="项目编号", required=True, example="J01"),
        C(name="name", label="项目名称", required=True, example="小微企业质量管理体系认证提升行动"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(name="leader_id", label="负责人编号", refers_to="people", example="P001"),
        C(name="listed_in", label="所属清单", type="choice", choices=LISTS, example="重点项目"),
        C(name="deadline", label="计划完成日期", type="date", example="2022-11-30"),
        C(name="completed_on", label="完成日期", type="date", example="2022-11-20"),
    ),
)
CAPABILITIES = RecordType(
    name="capabilities",
    label="能力清单",
    id_column="item_id",
    doc="单位公开的服务能力事项；服务标准为空表示该事项没有标准或规范。",
    columns=(
        C(name="item_id", label="事项编号", required=True, example="C001"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(name="name", label="事项名称", required=True, example="计量器具检定"),
        C(name="standard", label="服务标准", example="JJF 1069-2012"),
        C(name="published_on", label="发布日期", type="date", example="2022-03-01"),
    ),
)
REQUESTS = RecordType(
    name="requests",
    label="服务需求",
    id_column="request_id",
    doc="来自 12315/12345、智慧服务一张网或现场的服务需求。",
    columns=(
        C(name="request_id", label="需求编号", required=True, example="R00001"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(
            name="received_at",
            label="接收时间",
            type="datetime",
            required=True,
            example="2022-09-30 10:15:00",
        ),
        C(name="handler_id", label="经办人编号", refers_to="people", example="P001"),
        C(name="project_id", label="项目编号", refers_to="projects", example="J01"),
        C(name="channel", label="渠道", example="12345"),
        C(name="kind", label="类型", type="choice", choices=KINDS, example="咨询"),
        C(name="dispatched_at", label="分办时间", type="datetime", example="2022-09-30 11:00:00"),
        C(
            name="responded_at",
            label="首次响应时间",
            type="datetime",
            example="2022-10-08 09:30:00",
        ),
        C(name="closed_at", label="办结时间", type="datetime", example="2022-10-12 16:00:00"),
        C(name="outcome", label="办理结果", type="choice", choices=OUTCOMES, example="已办结"),
    ),
    checks=(
        RowCheck(
            column="responded_at",
            not_before="received_at",
            reason="首次响应时间早于接收时间 (response before receipt)",
        ),
        RowCheck(
            column="closed_at",
            not_before="received_at",
            reason="办结时间早于接收时间 (closed before receipt)",
        ),
        RowCheck(
            column="dispatched_at",
            not_before="received_at",
            reason="分办时间早于接收时间 (dispatched before receipt)",
        ),
    ),
)
LEDGER = RecordType(
    name="ledger",
    label="台账",
    id_column="entry_id",
    doc="工作台账登记。",
    columns=(
        C(name="entry_id", label="台账编号", required=True, example="L00001"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(name="recorded_on", label="登记日期", type="date", required=True, example="2022-10-13"),
        C(name="request_id", label="需求编号", refers_to="requests", example="R00001"),
        C(name="project_id", label="项目编号", refers_to="projects", example=""),
    ),
    ref_checks=(
        RefCheck(column="recorded_on", via="request_id", other="received_at", what="台账登记日期"),
    ),
)
SUPERVISION = RecordType(
    name="supervision",
    label="督办",
    id_column="item_id",
    doc="督办事项。",
    columns=(
        C(name="item_id", label="督办编号", required=True, example="D001"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(name="assigned_on", label="交办日期", type="date", required=True, example="2022-04-01"),
        C(name="due_on", label="办理期限", type="date", required=True, example="2022-04-30"),
        C(name="project_id", label="项目编号", refers_to="projects", example="J01"),
        C(name="closed_on", label="办结日期", type="date", example="2022-04-28"),
    ),
    checks=(
        RowCheck(
            column="due_on",
            not_before="assigned_on",
            reason="办理期限早于交办日期 (due before assigned)",
        ),
        RowCheck(
            column="closed_on",
            not_before="assigned_on",
            reason="办结日期早于交办日期 (closed before assigned)",
        ),
    ),
)
SUMMARIES = RecordType(
    name="summaries",
    label="项目小结",
    doc="项目完成后的书面小结。",
    columns=(
        C(name="project_id", label="项目编号", required=True, refers_to="projects", example="J01"),
        C(name="submitted_on", label="提交日期", type="date", required=True, example="2022-12-05"),
    ),
)
VISITS = RecordType(
    name="visits",
    label="回访",
    id_column="visit_id",
    doc="事后回访；是否联系上为“否”表示未联系上，不计为回访。",
    columns=(
        C(name="visit_id", label="回访编号", required=True, example="V00001"),
        C(name="visited_on", label="回访日期", type="date", required=True, example="2022-10-14"),
        C(name="request_id", label="需求编号", refers_to="requests", example="R00001"),
        C(name="project_id", label="项目编号", refers_to="projects", example=""),
        C(name="reached", label="是否联系上", type="bool", example="是"),
    ),
    ref_checks=(
        RefCheck(column="visited_on", via="request_id", other="received_at", what="回访日期"),
    ),
)
SURVEYS = RecordType(
    name="surveys",
    label="满意度测评",
    id_column="response_id",
    doc="好差评五级评价：非常满意、满意、基本满意、不满意、非常不满意（或 5…1）。",
    columns=(
        C(name="response_id", label="评价编号", required=True, example="S00001"),
        C(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        C(name="answered_on", label="评价日期", type="date", required=True, example="2022-10-15"),
        C(name="rating", label="评价等级", type="rating", required=True, example="满意"),
        C(name="handler_id", label="经办人编号", refers_to="people", example="P001"),
        C(name="project_id", label="项目编号", refers_to="projects", example=""),
        C(name="request_id", label="需求编号", refers_to="requests", example="R00001"),
        C(
            name="appeal_upheld",
            label="申诉成立",
            type="bool",
            example="否",
            doc="差评经申诉复核被撤销",
        ),
        C(name="rectified_on", label="整改日期", type="date", example=""),
    ),
    checks=(
        RowCheck(
            column="rectified_on",
            not_before="answered_on",
            reason="整改日期早于评价日期 (rectified before the rating)",
        ),
    ),
    ref_checks=(
        RefCheck(column="answered_on", via="request_id", other="received_at", what="评价日期"),
    ),
)
EVALUATIONS = RecordType(
    name="evaluations",
    label="绩效评价",
    doc="项目绩效评价。",
    columns=(
        C(name="project_id", label="项目编号", required=True, refers_to="projects", example="J01"),
        C(name="evaluated_on", label="评价日期", type="date", required=True, example="2022-12-20"),
        C(name="grade", label="评价等级", type="choice", choices=GRADES, example="优秀"),
    ),
)
MEDIA = RecordType(
    name="media",
    label="宣传报道",
    id_column="item_id",
    doc="媒体宣传报道；媒体级别：国家级、省级、市级、行业。",
    columns=(
        C(name="item_id", label="报道编号", required=True, example="M001"),
        C(name="outlet", label="媒体名称", required=True, example="湖北日报"),
        C(
            name="tier",
            label="媒体级别",
            type="choice",
            choices=TIERS,
            required=True,
            example="省级",
        ),
        C(name="published_on", label="发布日期", type="date", required=True, example="2022-06-08"),
        C(name="unit_id", label="单位编号", refers_to="units", example="U01"),
        C(name="project_id", label="项目编号", refers_to="projects", example=""),
        C(name="title", label="标题", example="“店小二”上门服务解难题"),
        C(name="url", label="链接", example=""),
    ),
)
SANCTIONS = RecordType(
    name="sanctions",
    label="既往处理",
    doc="以往的警示、责令改正、通报批评记录，用于升级判定。",
    columns=(
        C(
            name="candidate_id",
            label="对象编号",
            required=True,
            refers_to="candidates",
            example="U03",
        ),
        C(
            name="level",
            label="处理等级",
            type="choice",
            choices=SANCTION_LEVELS,
            required=True,
            example="责令改正",
        ),
        C(name="issued_on", label="处理日期", type="date", required=True, example="2021-11-20"),
        C(name="rectified_on", label="整改日期", type="date", example="2021-12-05"),
        C(
            name="period_end",
            label="所属期末",
            type="date",
            example="",
            doc="作出该处理的评价期间的最后一天；早于本期开始即为既往处理，不论何时公布"
            "（来自评价档案时自动填写）",
        ),
        C(
            name="source",
            label="来源",
            example="",
            doc="处理的出处，写入升级与整改判定的理由（来自评价档案时为 run 编号、期间与阈值）",
        ),
    ),
)

BUILTIN_RECORD_TYPES = (
    UNITS,
    PEOPLE,
    PROJECTS,
    CAPABILITIES,
    REQUESTS,
    LEDGER,
    SUPERVISION,
    SUMMARIES,
    VISITS,
    SURVEYS,
    EVALUATIONS,
    MEDIA,
    SANCTIONS,
)


@hookimpl
def dxe_eval_register_record_types() -> tuple[RecordType, ...]:
    return BUILTIN_RECORD_TYPES


@hookimpl
def dxe_eval_register_readers() -> list[Reader]:
    """The built-in file formats of a data folder: CSV and JSON Lines."""
    return [CSV_READER, JSONL_READER]
