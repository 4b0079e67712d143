"""The province's consolidated report as a DOCX in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

The page, fonts, heading and paragraphs are the kit's (`kit.docx`, docs/reports.md): body 14 pt
justified with a 1 cm first-line indent, page numbers from page 2 on. This module writes what the
report says.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from docx.document import Document as DocumentObject
from docx.shared import Pt

from cchc.kit import docx, wording
from cchc.plans.documents import vietnamese as vn
from cchc.plans.models import ReportSchedule
from cchc.plans.reporting import LATE, MISSING, ON_TIME, PENDING, ConsolidatedReport, consolidated_report
from cchc.units.models import Unit


def consolidated_docx(
    schedule: ReportSchedule,
    *,
    number: str,
    place: str,
    signer_name: str,
    signer_title: str,
    recipients: Iterable[str],
    issued_on: datetime.date | None = None,
) -> bytes:
    report = consolidated_report(schedule)
    unit = schedule.plan.issuing_unit
    document = docx.new_document(body_size=14)
    docx.national_heading(
        document, unit, number=number, place=place, day=issued_on or timezone.localdate(), kind="BC"
    )
    _title(document, schedule)
    _body(document, report)
    _closing_block(document, unit, recipients, signer_title, signer_name)
    return docx.as_bytes(document)


def _title(document: DocumentObject, schedule: ReportSchedule) -> None:
    docx.line(document, "").paragraph_format.space_after = Pt(6)
    docx.line(document, "BÁO CÁO", bold=True)
    subject = f"Kết quả thực hiện công tác cải cách hành chính {vn.period_label(schedule)}"
    docx.line(document, subject, bold=True).paragraph_format.space_after = Pt(12)


def _body(document: DocumentObject, report: ConsolidatedReport) -> None:
    schedule, unit = report.schedule, report.schedule.plan.issuing_unit
    basis = schedule.legal_basis
    reason = (
        f"Thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính theo Công văn số {basis.number}"
        f"{' của ' + basis.issuer if basis.issuer else ''}, "
        if basis
        else "Thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính, "
    )
    docx.body_paragraph(
        document,
        f"{reason}{wording.body_name(unit)} báo cáo kết quả thực hiện công tác cải cách hành chính "
        f"{vn.period_label(schedule)} (số liệu từ ngày {wording.short_date(schedule.data_from)} đến ngày "
        f"{wording.short_date(schedule.data_to)}) như sau:",
    )
    _submissions(document, report)
    _areas(document, report)
    _targets(document, report)
    _narratives(document, report)
    _limitations(document, report)
    _proposals(document, report)
    docx.body_paragraph(document, f"{wording.body_name(unit)} báo cáo./.")


def _names(report: ConsolidatedReport, timeliness: str) -> list[str]:
    return [row.unit.name for row in report.submissions if row.timeliness == timeliness]


# The words for each timeliness, the same in the counts sentence and in the lists that follow it,
# so that a reader finds as many names under a label as the count next to it says.
SUBMISSION_LABELS = (
    (ON_TIME, "gửi đúng hạn"),
    (LATE, "gửi trễ hạn"),
    (MISSING, "chưa gửi, đã quá hạn"),
    (PENDING, "chưa gửi, chưa đến hạn"),
)


def _submissions(document: DocumentObject, report: ConsolidatedReport) -> None:
    docx.body_paragraph(document, "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", bold=True)
    parts = [f"Số cơ quan, đơn vị phải báo cáo: {len(report.submissions)}"]
    for timeliness, label in SUBMISSION_LABELS:
        count = len(_names(report, timeliness))
        if count or timeliness != PENDING:  # "not yet due" only while some are
            parts.append(f"{label}: {count}")
    docx.body_paragraph(
        document, f"{'; '.join(parts)} (hạn gửi: ngày {wording.short_date(report.schedule.due_on)})."
    )
    for timeliness, label in SUBMISSION_LABELS[1:]:  # the units on time need no list
        names = _names(report, timeliness)
        if names:
            docx.body_paragraph(
                document, f"- Các cơ quan, đơn vị {label} ({len(names)}): {', '.join(names)}."
            )


def _areas(document: DocumentObject, report: ConsolidatedReport) -> None:
    docx.body_paragraph(document, "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO LĨNH VỰC", bold=True)
    if not report.areas:
        docx.body_paragraph(document, "Chưa có báo cáo nào của các cơ quan, đơn vị được gửi đến để tổng hợp.")
        return
    for index, area in enumerate(report.areas, start=1):
        counts = area.counts
        sentence = (
            f"{index}. {area.area or vn.NO_AREA}: tổng số {counts.total} nhiệm vụ; hoàn thành {counts.done}; "
            f"đang thực hiện {counts.in_progress}; chưa triển khai {counts.not_started}"
        )
        if counts.cancelled:
            sentence += f"; dừng thực hiện {counts.cancelled}"
        docx.body_paragraph(document, f"{sentence}; quá hạn {counts.overdue}.")


def _targets(document: DocumentObject, report: ConsolidatedReport) -> None:
    docx.body_paragraph(document, "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True)
    if not report.targets:
        docx.body_paragraph(document, "Kế hoạch không đặt chỉ tiêu định lượng.")
    for result in report.targets:
        target = result.target
        unit = wording.written_unit(target.unit)
        goal = f"{target.get_comparator_display()} {wording.number(target.value)}{unit}"
        if result.value is None:
            outcome = "chưa có số liệu"
        else:
            verdict = "đạt" if result.met else "chưa đạt"
            outcome = f"kết quả {wording.number(result.value)}{unit} ({verdict})"
        label = f"{target.code} {target.text}".strip()
        docx.body_paragraph(document, f"- {label}: chỉ tiêu {goal}; {outcome}.")


def _narratives(document: DocumentObject, report: ConsolidatedReport) -> None:
    if not report.narratives:
        return
    docx.body_paragraph(document, "IV. TÌNH HÌNH TẠI CÁC CƠ QUAN, ĐƠN VỊ", bold=True)
    for narrative in report.narratives:
        docx.body_paragraph(document, f"- {narrative.unit.name}: {narrative.excerpt}")


def _limitations(document: DocumentObject, report: ConsolidatedReport) -> None:
    docx.body_paragraph(document, f"{'V' if report.narratives else 'IV'}. TỒN TẠI, HẠN CHẾ", bold=True)
    found = []
    if report.overdue:
        found.append(
            f"Còn {report.overdue} nhiệm vụ quá hạn chưa hoàn thành tính đến ngày "
            f"{wording.short_date(report.schedule.data_to)}."
        )
    if report.counts.late or report.counts.missing:
        found.append(
            f"Có {report.counts.late} cơ quan, đơn vị gửi báo cáo trễ hạn và {report.counts.missing} "
            "cơ quan, đơn vị chưa gửi báo cáo."
        )
    missed = sum(1 for result in report.targets if result.met is False)
    unknown = sum(1 for result in report.targets if result.value is None)
    if missed or unknown:
        found.append(f"Có {missed} chỉ tiêu chưa đạt và {unknown} chỉ tiêu chưa có số liệu.")
    for sentence in found or ["Số liệu tổng hợp không cho thấy tồn tại, hạn chế đáng kể trong kỳ."]:
        docx.body_paragraph(document, sentence)


def _proposals(document: DocumentObject, report: ConsolidatedReport) -> None:
    docx.body_paragraph(document, f"{'VI' if report.narratives else 'V'}. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    docx.body_paragraph(
        document,
        "Đề nghị các cơ quan, đơn vị có nhiệm vụ quá hạn khẩn trương hoàn thành và báo cáo kết quả; "
        "các cơ quan, đơn vị chưa gửi hoặc gửi trễ báo cáo thực hiện đúng thời hạn "
        "trong kỳ báo cáo tiếp theo.",
    )
    docx.body_paragraph(document, "Số liệu chi tiết tại các phụ lục kèm theo báo cáo này.")


def _closing_block(
    document: DocumentObject, unit: Unit, recipients: Iterable[str], signer_title: str, signer_name: str
) -> None:
    docx.line(document, "")
    table = docx.two_columns(document, 7, 9)
    left, right = table.rows[0].cells
    docx.line(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=docx.LEFT,
        paragraph=docx.first_paragraph(left),
    )
    names = [name.strip().rstrip(";.") for name in recipients if name.strip()]
    if not any(name.lower().startswith("lưu") for name in names):
        names.append("Lưu: VT")
    for index, name in enumerate(names):
        ending = "." if index == len(names) - 1 else ";"
        docx.line(left, f"- {name}{ending}", size=11, align=docx.LEFT)
    authority = [f"TM. {wording.PEOPLES_COMMITTEE}"] if wording.is_committee(unit) else []
    titles = authority + [line.strip().upper() for line in signer_title.splitlines() if line.strip()]
    docx.line(right, "\n".join(titles), bold=True, paragraph=docx.first_paragraph(right))
    docx.line(right, "\n\n\n")  # room for the signature and the seal
    docx.line(right, signer_name.strip(), bold=True)
