"""Procedures and a helper to import dossiers, for the one-stop tests.

Procedures: HT-01 (Hộ tịch, 5 working days, fully online, fee), HT-02 (Hộ tịch, 3 calendar days),
DD-01 (Đất đai, 15 working days, partly online, written result), CT-01 (Chứng thực, 4 hours, no
written result).
"""

import pytest

from cchc.onestop import services

PROCEDURES = [
    {
        "code": "HT-01",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "cấp xã",
        "time_limit": "5",
        "time_unit": "working_day",
        "online": "full",
        "has_fee": "1",
    },
    {
        "code": "HT-02",
        "name": "Trích lục hộ tịch",
        "field": "Hộ tịch",
        "level": "cấp xã",
        "time_limit": "3",
        "time_unit": "day",
        "online": "partial",
    },
    {
        "code": "DD-01",
        "name": "Cấp giấy chứng nhận quyền sử dụng đất",
        "field": "Đất đai",
        "level": "cấp tỉnh",
        "time_limit": "15",
        "time_unit": "working_day",
        "online": "partial",
    },
    {
        "code": "CT-01",
        "name": "Chứng thực bản sao",
        "field": "Chứng thực",
        "level": "cấp xã",
        "time_limit": "4",
        "time_unit": "hour",
        "online": "none",
        "written_result": "0",
    },
]


@pytest.fixture
def procedures(db):
    result = services.import_procedures(PROCEDURES, actor=None)
    assert result.applied, result.errors
    return result


def dossier(code, unit="99002", procedure="HT-01", received="2026-01-05 09:00", **extra):
    """One dossier record in the canonical columns."""
    return {
        "dossier_code": code,
        "procedure_code": procedure,
        "unit_code": unit,
        "received_at": received,
        **extra,
    }


@pytest.fixture
def import_dossiers(procedures):
    def run(records, actor=None, **options):
        return services.import_dossiers(records, actor=actor, **options)

    return run
