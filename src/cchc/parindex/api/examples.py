"""The examples the OpenAPI schema carries for the PAR Index operations (Vietnamese content, English keys)."""

from drf_spectacular.utils import OpenApiExample

CRITERIA_SET = OpenApiExample(
    "Bộ tiêu chí",
    response_only=True,
    value={
        "id": 3,
        "year": 2026,
        "unit_type": "agency",
        "title": "Bộ tiêu chí Chỉ số CCHC các sở, ban, ngành",
        "legal_basis": "Quyết định số 52/2019/QĐ-UBND",
        "verified": True,
        "cloned_from": None,
        "leaves": 42,
        "maximum": "100.00",
        "in_use": True,
    },
)

CAMPAIGN = OpenApiExample(
    "Đợt đánh giá",
    response_only=True,
    value={
        "id": 7,
        "organiser": 1,
        "year": 2026,
        "title": "Chỉ số CCHC năm 2026",
        "phase": "appraisal",
        "self_assessment_until": "2026-11-30",
        "appraisal_until": "2026-12-15",
        "explanation_until": "2026-12-22",
        "second_appraisal_until": "2026-12-29",
        "finalisation_until": "2027-01-10",
        "published_on": None,
        "decision_number": "",
        "answer_weights": {"A": 100, "B": 60, "C": 20, "D": 0},
        "imported": False,
        "created_at": "2026-10-01T08:00:00+07:00",
    },
)

CAMPAIGN_CREATE = OpenApiExample(
    "Mở đợt đánh giá",
    request_only=True,
    value={
        "organiser": 1,
        "year": 2026,
        "title": "Chỉ số CCHC năm 2026",
        "self_assessment_until": "2026-11-30",
        "appraisal_until": "2026-12-15",
    },
)

DEADLINES = OpenApiExample(
    "Gia hạn tự chấm", request_only=True, value={"self_assessment_until": "2026-12-05"}
)

ADVANCE = OpenApiExample("Công bố kết quả", request_only=True, value={"decision_number": "123/QĐ-UBND"})

ASSESSMENT = OpenApiExample(
    "Phiếu chấm điểm",
    response_only=True,
    value={
        "id": 21,
        "campaign": 7,
        "unit": 4,
        "unit_name": "Sở Tư pháp",
        "unit_type": "agency",
        "criteria_set": 3,
        "status": "submitted",
        "submitted_at": "2026-11-28T16:20:00+07:00",
        "submitted_by": 12,
    },
)

ITEM = OpenApiExample(
    "Tiêu chí đã thẩm định",
    response_only=True,
    value={
        "id": 501,
        "assessment": 21,
        "campaign": 7,
        "unit": 4,
        "criterion": 88,
        "criterion_code": "1.1",
        "criterion_title": "Ban hành kế hoạch CCHC năm",
        "method": "yes_no",
        "max_points": "1.00",
        "not_applicable": False,
        "self_input": "có",
        "self_score": "1.00",
        "unit_note": "Kế hoạch số 15/KH-STP",
        "auto_value": None,
        "auto_source": "",
        "evidence": [
            {
                "id": 9,
                "name": "ke-hoach-15.pdf",
                "size": 183204,
                "uploaded_at": "2026-11-20T09:12:00+07:00",
                "url": "/parindex/evidence/9/",
            }
        ],
        "appraised_score": "0.00",
        "appraisal_reason": "Kế hoạch ban hành sau hạn",
        "appraised_by": 2,
        "appraised_at": "2026-12-03T10:00:00+07:00",
        "explanation": "",
        "explained_at": None,
        "second_score": None,
        "second_reason": "",
        "second_at": None,
        "final_score": "0.00",
        "version": 3,
    },
)

SELF_ASSESSMENT = OpenApiExample(
    "Tự chấm",
    request_only=True,
    value={"self_input": "có", "not_applicable": False, "unit_note": "Kế hoạch số 15/KH-STP", "version": 1},
)

APPRAISAL_ACCEPT = OpenApiExample(
    "Chấp nhận điểm tự chấm", request_only=True, value={"accept": True, "version": 2}
)

APPRAISAL_ADJUST = OpenApiExample(
    "Điều chỉnh điểm",
    request_only=True,
    value={
        "accept": False,
        "appraised_score": "0",
        "appraisal_reason": "Kế hoạch ban hành sau hạn",
        "version": 2,
    },
)

EXPLANATION = OpenApiExample(
    "Giải trình",
    request_only=True,
    value={"explanation": "Kế hoạch ban hành đúng hạn, kèm văn bản số 15", "version": 3},
)

SECOND_APPRAISAL = OpenApiExample(
    "Thẩm định lại",
    request_only=True,
    value={"second_score": "1", "second_reason": "Chấp nhận giải trình", "version": 4},
)

ACCEPTED = OpenApiExample("Đã chấp nhận", response_only=True, value={"accepted": 37})

RESULT_ROW = OpenApiExample(
    "Kết quả một đơn vị",
    response_only=True,
    value={
        "unit": 4,
        "unit_name": "Sở Tư pháp",
        "unit_type": "agency",
        "assessment": 21,
        "score": "86.5000",
        "max_points": "100.0000",
        "index": "86.50",
        "rank": 2,
        "band": "Tốt",
        "areas": [{"code": "1", "title": "Công tác chỉ đạo, điều hành", "score": "9.0000", "max": "10.0000"}],
        "previous_index": "82.10",
        "previous_rank": 4,
        "provisional": False,
    },
)

_LEAF = {
    "id": 412,
    "parent": 410,
    "code": "1.1.2",
    "title": "Ban hành kế hoạch CCHC năm đúng thời hạn",
    "position": 3,
    "max_points": "1.00",
    "method": "tiered",
    "is_leaf": True,
    "threshold": None,
    "tiers": [{"label": "Đúng hạn", "percent": 100}, {"label": "Chậm", "percent": 50}],
    "per_occurrence": None,
    "floor": None,
    "evidence_required": True,
    "not_applicable_rule": "exclude",
    "metric": "",
    "legal_basis": "Quyết định số 52/2019/QĐ-UBND",
}
CRITERIA_SET_DETAIL = OpenApiExample(
    "Bộ tiêu chí với cây tiêu chí",
    response_only=True,
    value={
        **CRITERIA_SET.value,
        "criteria": [
            {
                **_LEAF,
                "id": 410,
                "parent": None,
                "code": "1",
                "title": "Công tác chỉ đạo, điều hành CCHC",
                "position": 1,
                "max_points": "9.00",
                "method": "",
                "is_leaf": False,
                "tiers": [],
                "evidence_required": False,
                "legal_basis": "",
            },
            _LEAF,
        ],
    },
)
