"""Targets: comparator, value, unit and scope from Vietnamese phrasing (sentences written for these tests)."""

from decimal import Decimal

import pytest

from cchc.plans.extraction import extract


def found(text: str) -> list[tuple[str, Decimal, str]]:
    return [(t.comparator, t.value, t.unit) for t in extract(text).targets]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 98,5%.", (">=", "98.5", "%")),
        ("Bảo đảm ít nhất 40% thủ tục được cung cấp trực tuyến toàn trình.", (">=", "40", "%")),
        ("Kiểm tra ít nhất đối với 25% đơn vị cấp xã.", (">=", "25", "%")),
        ("Mức độ hài lòng của tổ chức, công dân đạt từ 80% trở lên.", (">=", "80", "%")),
        ("Tỷ lệ văn bản ký số đạt 90% trở lên.", (">=", "90", "%")),
        ("Có trên 30% hồ sơ trực tuyến được tiếp nhận qua cổng dịch vụ công.", (">", "30", "%")),
        ("Tỷ lệ hồ sơ trễ hạn giảm xuống dưới 5%.", ("<", "5", "%")),
        ("Tỷ lệ hồ sơ phải bổ sung dưới 3% tổng số hồ sơ.", ("<", "3", "%")),
        ("Số công chức tuyển mới không quá 45% số biên chế đã tinh giản.", ("<=", "45", "%")),
        ("Chi phí tuân thủ tối đa 10% so với năm trước.", ("<=", "10", "%")),
        ("Mỗi người dân đi lại không quá 3 lần cho một thủ tục.", ("<=", "3", "lần")),
        ("Tổng vốn đầu tư công năm nay đạt 12.500 tỷ đồng.", ("=", "12500", "tỷ đồng")),
        ("Thu ngân sách trên địa bàn đạt trên 8.200 tỷ đồng.", (">", "8200", "tỷ đồng")),
        ("Giá trị giải ngân phấn đấu đạt 2,5 nghìn tỷ đồng.", ("=", "2500", "tỷ đồng")),
        ("Số hóa 70% kết quả giải quyết thủ tục hành chính còn hiệu lực.", ("=", "70", "%")),
        ("Phấn đấu 100% cơ quan cấp tỉnh dùng chữ ký số.", ("=", "100", "%")),
        ("Tỷ lệ người dân dùng ví điện tử đạt 75 phần trăm.", ("=", "75", "%")),
        ("Thanh toán trực tuyến ≥ 35% giao dịch.", (">=", "35", "%")),
        ("Giao dịch không dùng tiền mặt tăng tối thiểu 12%/năm.", (">=", "12", "% per year")),
        ("Số doanh nghiệp dùng hóa đơn điện tử tăng 8% mỗi năm.", ("=", "8", "% per year")),
        ("Chỉ số hài lòng của tỉnh nằm trong nhóm 15 tỉnh, thành phố dẫn đầu cả nước.", ("<=", "15", "rank")),
        ("Phấn đấu Chỉ số cải cách hành chính thuộc top 10 địa phương đứng đầu.", ("<=", "10", "rank")),
        ("Đưa Chỉ số chuyển đổi số của tỉnh vào top 25 cả nước.", ("<=", "25", "rank")),
        ("Tổ chức ít nhất 02 cuộc đối thoại với doanh nghiệp mỗi năm.", (">=", "2", "cuộc")),
        ("Thời gian cấp giấy phép không vượt quá 07 ngày làm việc.", ("<=", "7", "ngày làm việc")),
        ("Điểm chỉ số của mỗi sở đạt 80 điểm trở lên.", (">=", "80", "điểm")),
        ("Tỷ lệ hộ dân chưa có kết nối cáp quang giảm xuống còn 6%.", ("<=", "6", "%")),
    ],
)
def test_one_target_with_its_comparator_value_and_unit(sentence, expected):
    comparator, value, unit = expected
    assert found(sentence) == [(comparator, Decimal(value), unit)]


def test_striving_does_not_change_the_comparator():
    assert found("Phấn đấu tỷ lệ hồ sơ trực tuyến đạt 60%.") == [("=", Decimal(60), "%")]
    assert found("Phấn đấu tỷ lệ hồ sơ trực tuyến đạt trên 60%.") == [(">", Decimal(60), "%")]


def test_a_sentence_with_several_numbers_gives_one_target_each_with_its_own_text():
    plan = extract(
        "Tỷ lệ hồ sơ được số hóa đạt 65%, tỷ lệ tái sử dụng dữ liệu số hóa đạt tối thiểu 45% "
        "và tỷ lệ thanh toán trực tuyến đạt trên 30%."
    )
    assert [(t.comparator, t.value) for t in plan.targets] == [
        ("=", Decimal(65)),
        (">=", Decimal(45)),
        (">", Decimal(30)),
    ]
    assert [t.text for t in plan.targets] == [
        "Tỷ lệ hồ sơ được số hóa đạt 65%",
        "tỷ lệ tái sử dụng dữ liệu số hóa đạt tối thiểu 45%",
        "tỷ lệ thanh toán trực tuyến đạt trên 30%",
    ]


def test_scope_keeps_the_administrative_level():
    plan = extract(
        "Văn bản điện tử được gửi nhận trên môi trường mạng đạt 98% ở cấp tỉnh, cấp huyện; 90% ở cấp xã."
    )
    assert [(t.value, t.scope) for t in plan.targets] == [
        (Decimal(98), "cấp tỉnh, cấp huyện"),
        (Decimal(90), "cấp xã"),
    ]


def test_a_range_gives_a_lower_and_an_upper_bound():
    assert found("Tỷ lệ cán bộ được tập huấn kỹ năng số đạt từ 70% đến 85%.") == [
        (">=", Decimal(70), "%"),
        ("<=", Decimal(85), "%"),
    ]
    assert found("Tỷ lệ cán bộ được tập huấn đạt 70 - 85%.") == [
        (">=", Decimal(70), "%"),
        ("<=", Decimal(85), "%"),
    ]


def test_from_a_baseline_to_a_target_keeps_only_the_target():
    assert found("Nâng tỷ lệ hồ sơ trực tuyến từ 45% lên 70%.") == [("=", Decimal(70), "%")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Quyết định số 1291/QĐ-BNV ngày 30/12/2020 của Bộ Nội vụ.",
        "Triển khai Chương trình tổng thể giai đoạn 2021-2025 và giai đoạn 2026 - 2030.",
        "Tiếp tục cung cấp dịch vụ công mức độ 3, 4 trên cổng của tỉnh.",
        "Duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.",
        "Kế hoạch gồm 09 nhóm nhiệm vụ, 12 chỉ tiêu và 06 nội dung trọng tâm.",
        "Triển khai đồng bộ trên 06 lĩnh vực cải cách hành chính.",
        "Áp dụng tại 215 cơ quan, đơn vị trên địa bàn.",
        "Kinh phí thực hiện kế hoạch khoảng 850 triệu đồng từ ngân sách tỉnh.",
        "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế.",
        "Chỉ số cải cách hành chính năm 2023 xếp thứ 27/63, tăng 5 bậc.",
        "Tỷ lệ hồ sơ đúng hạn đã đạt 97,2% trong năm.",
        "Thời gian qua, 92% hồ sơ được giải quyết trước hạn.",
    ],
)
def test_numbers_that_are_not_targets(sentence):
    assert found(sentence) == []


def test_results_of_years_before_the_plan_are_not_targets_but_its_own_years_are():
    text = (
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027\n"
        "Năm 2026, tỷ lệ hồ sơ trực tuyến toàn trình đạt 61%.\n"
        "Năm 2027, tỷ lệ hồ sơ trực tuyến toàn trình đạt 70%.\n"
        "Chi phí tuân thủ giảm 10% so với năm 2026.\n"
    )
    assert found(text) == [("=", Decimal(70), "%"), ("=", Decimal(10), "%")]


def test_a_section_that_reports_results_gives_no_targets():
    text = (
        "I. KẾT QUẢ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH NĂM TRƯỚC\n"
        "- Tỷ lệ hồ sơ trực tuyến đạt 58%; tỷ lệ hài lòng đạt trên 91%.\n"
        "II. MỤC TIÊU, CHỈ TIÊU\n"
        "- Tỷ lệ hồ sơ trực tuyến đạt 65%.\n"
    )
    assert found(text) == [("=", Decimal(65), "%")]


def test_a_committed_rank_is_a_target_and_a_reported_one_is_not():
    assert found("Phấn đấu Chỉ số PAPI xếp thứ 12/63 tỉnh, thành phố.") == [("=", Decimal(12), "rank")]
    assert found("Chỉ số PAPI năm 2022 xếp thứ 40/63.") == []


def test_a_table_of_targets_reads_each_planned_value_with_the_row_unit():
    text = (
        "STT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2025 | Kế hoạch năm 2026 | Ghi chú\n"
        "1 | Tỷ lệ hồ sơ giải quyết đúng hạn | % | 97,1 | ≥ 98,5 | \n"
        "2 | Số cuộc kiểm tra công vụ | cuộc | 9 | 14 | \n"
        "3 | Tỷ lệ thủ tục có thanh toán trực tuyến mức độ 4 | % | 41 | tối thiểu 55 | \n"
    )
    assert found(text) == [
        (">=", Decimal("98.5"), "%"),
        ("=", Decimal(14), "cuộc"),
        (">=", Decimal(55), "%"),
    ]


def test_a_target_wrapped_over_two_lines_is_read_whole():
    text = "Phấn đấu tỷ lệ thủ tục có phát sinh hồ sơ trực tuyến đạt tối thiểu\n82,5% trong năm kế hoạch."
    assert found(text) == [(">=", Decimal("82.5"), "%")]


def test_targets_carry_the_area_heading_they_fall_under():
    text = (
        "II. NHIỆM VỤ TRỌNG TÂM\n"
        "1. Cải cách thủ tục hành chính\n"
        "- 100% thủ tục được công khai đầy đủ.\n"
        "2. Cải cách tài chính công\n"
        "- Tỷ lệ giải ngân đạt trên 95%.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "- Các sở bố trí ít nhất 1 công chức theo dõi cải cách hành chính.\n"
    )
    assert [(t.value, t.area) for t in extract(text).targets] == [
        (Decimal(100), "Cải cách thủ tục hành chính"),
        (Decimal(95), "Cải cách tài chính công"),
        (Decimal(1), None),
    ]
