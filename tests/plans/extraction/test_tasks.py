"""Tasks: lead and coordinating units, deadline and product, from prose and from task tables."""

from cchc.plans.extraction import extract


def tasks(text: str) -> list[dict]:
    return [task.as_json() for task in extract(text).tasks]


def test_a_parenthesised_assignment_gives_lead_coordinating_units_and_deadline():
    [task] = tasks(
        "- Chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính (Văn phòng UBND tỉnh chủ trì, "
        "phối hợp với Sở Tư pháp và các sở, ban, ngành; hoàn thành trong Quý III/2026)."
    )
    assert task["text"] == "Chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính"
    assert task["lead_unit"] == "Văn phòng UBND tỉnh"
    assert task["coordinating_units"] == ["Sở Tư pháp", "các sở, ban, ngành"]
    assert task["deadline"] == "Quý III/2026"
    assert task["product"] is None


def test_labelled_fields_on_one_line():
    [task] = tasks(
        "Xây dựng bộ tiêu chí đánh giá cán bộ theo kết quả công việc. Cơ quan chủ trì: Sở Nội vụ; "
        "Cơ quan phối hợp: Sở Tài chính, Sở Lao động - Thương binh và Xã hội; "
        "Thời gian hoàn thành: tháng 10/2026; Sản phẩm: Quyết định ban hành bộ tiêu chí."
    )
    assert task["lead_unit"] == "Sở Nội vụ"
    assert task["coordinating_units"] == ["Sở Tài chính", "Sở Lao động - Thương binh và Xã hội"]
    assert task["deadline"] == "tháng 10/2026"
    assert task["product"] == "Quyết định ban hành bộ tiêu chí"
    assert task["text"] == "Xây dựng bộ tiêu chí đánh giá cán bộ theo kết quả công việc"


def test_labelled_fields_on_the_lines_under_a_task():
    [task] = tasks(
        "a) Tổ chức khảo sát sự hài lòng của người dân tại bộ phận một cửa cấp xã\n"
        "Đơn vị chủ trì: Sở Nội vụ\n"
        "Đơn vị phối hợp: UBND các xã, phường\n"
        "Thời gian thực hiện: Thường xuyên\n"
    )
    assert task["text"] == "Tổ chức khảo sát sự hài lòng của người dân tại bộ phận một cửa cấp xã"
    assert task["lead_unit"] == "Sở Nội vụ"
    assert task["coordinating_units"] == ["UBND các xã, phường"]
    assert task["deadline"] == "Thường xuyên"


def test_a_lead_named_in_the_sentence():
    [task] = tasks(
        "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Công an tỉnh triển khai định danh điện tử."
    )
    assert task["lead_unit"] == "Sở Khoa học và Công nghệ"
    assert task["coordinating_units"] == ["Công an tỉnh"]


def test_a_sentence_without_a_lead_or_fields_is_not_a_task():
    assert tasks("Nghiên cứu ban hành quy chế phối hợp liên thông giữa các cơ quan.") == []
    assert tasks("Các cơ quan chủ trì soạn thảo văn bản phải lấy ý kiến rộng rãi.") == []


def test_a_task_table_is_read_row_by_row_with_its_groups():
    text = (
        "PHỤ LỤC\n"
        "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm\n"
        "(1) | (2) | (3) | (4) | (5) | (6)\n"
        "I | CẢI CÁCH TỔ CHỨC BỘ MÁY |  |  |  | \n"
        "1 | Rà soát chức năng, nhiệm vụ các phòng chuyên môn | Sở Nội vụ | Các sở; UBND cấp xã | Quý II/2026"
        " | Báo cáo rà soát\n"
        "2 | Kiện toàn đơn vị sự nghiệp công lập | Sở Nội vụ |  | Năm 2026 | \n"
        "II | Cải cách tài chính công |  |  |  | \n"
        "1 | Giao tự chủ tài chính cho đơn vị sự nghiệp | Sở Tài chính | Sở Nội vụ | Thường xuyên"
        " | Quyết định giao tự chủ\n"
    )
    assert tasks(text) == [
        {
            "text": "Rà soát chức năng, nhiệm vụ các phòng chuyên môn",
            "lead_unit": "Sở Nội vụ",
            "coordinating_units": ["Các sở", "UBND cấp xã"],
            "deadline": "Quý II/2026",
            "product": "Báo cáo rà soát",
            "area": "CẢI CÁCH TỔ CHỨC BỘ MÁY",
        },
        {
            "text": "Kiện toàn đơn vị sự nghiệp công lập",
            "lead_unit": "Sở Nội vụ",
            "coordinating_units": [],
            "deadline": "Năm 2026",
            "product": None,
            "area": "CẢI CÁCH TỔ CHỨC BỘ MÁY",
        },
        {
            "text": "Giao tự chủ tài chính cho đơn vị sự nghiệp",
            "lead_unit": "Sở Tài chính",
            "coordinating_units": ["Sở Nội vụ"],
            "deadline": "Thường xuyên",
            "product": "Quyết định giao tự chủ",
            "area": "Cải cách tài chính công",
        },
    ]


def test_a_table_without_a_lead_column_gives_no_tasks():
    assert tasks("STT | Nội dung | Ghi chú\n1 | Họp giao ban | Hằng tháng\n") == []
