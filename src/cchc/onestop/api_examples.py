"""Examples of the one-stop API's requests and answers, for its OpenAPI schema (realistic data)."""

from drf_spectacular.utils import OpenApiExample, extend_schema

PROCEDURE = {
    "id": 1,
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "cấp xã",
    "time_limit": "5.00",
    "time_unit": "working_day",
    "online": "full",
    "has_fee": True,
    "written_result": True,
    "valid_from": None,
    "valid_to": None,
}
DOSSIER = {
    "id": 3021,
    "code": "000.00.99.H99-260105-0001",
    "procedure": 1,
    "procedure_code": "1.001193",
    "unit": 6,
    "unit_code": "99002",
    "channel": 2,
    "status": 3,
    "received_at": "2026-01-05T09:00:00+07:00",
    "due_at": "2026-01-12T09:00:00+07:00",
    "due_computed": False,
    "finished_at": "2026-01-09T15:30:00+07:00",
    "returned_at": "2026-01-09T16:00:00+07:00",
    "supplements": 0,
    "apology_at": None,
    "rescheduled_due_at": None,
    "apology_valid": None,
    "digitized": True,
    "e_result": True,
    "paid_online": True,
    "rating": 1,
    "outcome": 1,
    "overdue_from": None,
    "updated_at": "2026-01-09T16:00:05+07:00",
}
STATS = {
    "unit": 6,
    "period": "2026-Q1",
    "received": 1200,
    "finished": 1150,
    "finished_early": 400,
    "finished_on_time": 735,
    "finished_late": 15,
    "pending": 50,
    "pending_overdue": 2,
    "on_time_rate": 98.5,
    "online_rate": 72.25,
    "digitized_rate": 88.0,
    "apology_rate": 100.0,
    "e_result_rate": 91.3,
    "paid_online_rate": 64.0,
    "full_online_rate": 55.1,
    "satisfaction_rate": 97.2,
}
BATCH_RECORD = {
    "MaHoSo": "000.00.99.H99-260105-0001",
    "MaTTHC": "1.001193",
    "MaDonVi": "99002",
    "NgayTiepNhan": "2026-01-05 09:00",
    "NgayHenTra": "2026-01-12 09:00",
}


def _answer(name: str, value) -> list[OpenApiExample]:
    return [OpenApiExample(name, value=value, response_only=True)]


PROCEDURE_VIEW = {
    "list": extend_schema(examples=_answer("Đăng ký khai sinh", PROCEDURE)),
    "retrieve": extend_schema(examples=_answer("Đăng ký khai sinh", PROCEDURE)),
}
DOSSIER_VIEW = {
    "list": extend_schema(examples=_answer("Hồ sơ khai sinh", DOSSIER)),
    "retrieve": extend_schema(examples=_answer("Hồ sơ khai sinh", DOSSIER)),
}
BATCH = [
    OpenApiExample("Một hồ sơ từ Cổng dịch vụ công", value=[BATCH_RECORD], request_only=True),
    OpenApiExample(
        "Kết quả",
        value={"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "error_count": 0, "applied": True},
        response_only=True,
    ),
]
STATS_EXAMPLES = _answer("Quý I của Xã Tây", STATS)
