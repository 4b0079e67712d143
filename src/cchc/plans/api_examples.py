"""Examples of the plans API's requests and answers, for its OpenAPI schema (realistic Vietnamese data)."""

from drf_spectacular.utils import OpenApiExample, extend_schema


def _answer(name: str, value: dict) -> list[OpenApiExample]:
    return [OpenApiExample(name, value=value, response_only=True)]


def _request(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


PLAN = {
    "id": 7,
    "issuing_unit": 3,
    "number": "45/KH-STP",
    "title": "Kế hoạch cải cách hành chính năm 2026 của Sở Tư pháp",
    "issued_on": "2026-01-15",
    "year_from": 2026,
    "year_to": 2026,
    "parent": 1,
    "status": "issued",
}
TARGET = {
    "id": 21,
    "plan": 7,
    "area": 2,
    "code": "CT1",
    "text": "Tối thiểu 98,5% hồ sơ thủ tục hành chính được giải quyết đúng hạn",
    "measure": "hồ sơ giải quyết đúng hạn",
    "comparator": ">=",
    "value": "98.500",
    "unit": "%",
    "scope_types": "",
    "data_source": "manual",
    "baseline": None,
    "parent": None,
    "unit_values": [{"unit": 3, "value": "99.000"}],
}
TASK = {
    "id": 14,
    "plan": 7,
    "area": 2,
    "code": "NV3",
    "text": "Rà soát, đơn giản hoá thủ tục hành chính lĩnh vực hộ tịch",
    "lead_unit": 3,
    "coordinating_units": [4],
    "deadline_kind": "date",
    "deadline": "2026-06-30",
    "expected_product": "Báo cáo kết quả rà soát",
    "status": "in_progress",
    "progress": 40,
    "parent": None,
}
TASK_UPDATE = {
    "id": 52,
    "task": 14,
    "reported_by": 5,
    "reported_at": "2026-03-31T16:20:00+07:00",
    "status": "in_progress",
    "progress": 40,
    "narrative": "Đã rà soát 12/30 thủ tục; đề xuất bãi bỏ 2 thủ tục.",
    "state": "submitted",
    "reviewed_by": None,
    "reviewed_at": None,
    "review_comment": "",
}
MEASUREMENT = {
    "id": 9,
    "target": 21,
    "unit": 3,
    "period": "2026-Q1",
    "numerator": "1184.000",
    "denominator": "1200.000",
    "note": "Số liệu từ Hệ thống thông tin giải quyết TTHC",
    "entered_by": 5,
    "entered_at": "2026-04-05T09:00:00+07:00",
}

PLAN_VIEW = {
    "list": extend_schema(examples=_answer("Kế hoạch của Sở Tư pháp", PLAN)),
    "retrieve": extend_schema(examples=_answer("Kế hoạch của Sở Tư pháp", PLAN)),
    "create": extend_schema(
        examples=[
            _request(
                "Kế hoạch mới",
                {"issuing_unit": 3, "title": "Kế hoạch CCHC năm 2026 của Sở Tư pháp", "year_from": 2026},
            )
        ]
    ),
}
ISSUE = [_request("Ban hành", {"number": "45/KH-STP", "issued_on": "2026-01-15"})]
CASCADE = [_request("Giao cho Sở Tư pháp", {"unit": 3})]
IMPORT = [
    OpenApiExample(
        "Tệp kế hoạch",
        value={"file": "ke-hoach-2026.xlsx"},
        request_only=True,
        media_type="multipart/form-data",
    )
]
TARGET_VIEW = {
    "list": extend_schema(examples=_answer("Chỉ tiêu đúng hạn", TARGET)),
    "retrieve": extend_schema(examples=_answer("Chỉ tiêu đúng hạn", TARGET)),
    "create": extend_schema(
        examples=[
            _request(
                "Chỉ tiêu mới",
                {
                    "plan": 7,
                    "code": "CT1",
                    "text": TARGET["text"],
                    "comparator": ">=",
                    "value": "98.5",
                    "unit": "%",
                },
            )
        ]
    ),
}
UNIT_VALUE = [_request("Giá trị riêng của Xã Tây", {"unit": 6, "value": "97.5"})]
READING = _answer(
    "Số đo quý I",
    {
        "unit": 3,
        "period": "2026-Q1",
        "numerator": "1184.000",
        "denominator": "1200.000",
        "value": "98.67",
        "goal": "98.500",
        "state": "met",
    },
)
TASK_VIEW = {
    "list": extend_schema(examples=_answer("Nhiệm vụ rà soát", TASK)),
    "retrieve": extend_schema(examples=_answer("Nhiệm vụ rà soát", TASK)),
    "create": extend_schema(
        examples=[
            _request(
                "Nhiệm vụ mới",
                {
                    "plan": 7,
                    "text": TASK["text"],
                    "lead_unit": 3,
                    "deadline_kind": "date",
                    "deadline": "2026-06-30",
                },
            )
        ]
    ),
}
TASK_UPDATE_VIEW = {
    "list": extend_schema(examples=_answer("Báo cáo tiến độ", TASK_UPDATE)),
    "retrieve": extend_schema(examples=_answer("Báo cáo tiến độ", TASK_UPDATE)),
    "create": extend_schema(
        examples=[
            _request(
                "Báo cáo tiến độ quý I",
                {"task": 14, "status": "in_progress", "progress": 40, "narrative": TASK_UPDATE["narrative"]},
            )
        ]
    ),
}
REVIEW = [_request("Chấp nhận", {"accept": True, "comment": "Đồng ý với kết quả báo cáo."})]
MEASUREMENT_VIEW = {
    "list": extend_schema(examples=_answer("Số liệu quý I", MEASUREMENT)),
    "retrieve": extend_schema(examples=_answer("Số liệu quý I", MEASUREMENT)),
    "create": extend_schema(
        examples=[
            _request(
                "Nhập số liệu",
                {"target": 21, "unit": 3, "period": "2026-Q1", "numerator": "1184", "denominator": "1200"},
            )
        ]
    ),
}
