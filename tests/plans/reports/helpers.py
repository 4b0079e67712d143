"""Small helpers shared by the report tests."""

import datetime
from zoneinfo import ZoneInfo

from cchc.plans.services import reports

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 3, 25)  # the day the filled_q1 fixture describes
LONG_NARRATIVE = "Sở Tư pháp đã rà soát toàn bộ văn bản quy phạm pháp luật thuộc lĩnh vực quản lý. " * 6


def at(year, month, day, hour=9, minute=0):
    """A moment in Vietnamese local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


def send_in(report, *, focal, leader, narrative="Đã hoàn thành các nhiệm vụ trọng tâm của quý.", lines=()):
    """Write, submit and approve a report: afterwards it has reached the reform office."""
    report = reports.save_report(actor=focal, report=report, narrative=narrative, task_lines=list(lines))
    report = reports.submit_report(actor=focal, report=report)
    return reports.approve_report(actor=leader, report=report)
