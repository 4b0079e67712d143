"""Areas: from headings and from sentences that list the standard reform areas."""

from cchc.plans.extraction import extract


def titles(text: str) -> list[str]:
    return [area.title for area in extract(text).areas]


def test_numbered_headings_that_name_standard_areas_are_areas_and_sections_are_not():
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Mục đích\n"
        "Nâng cao hiệu quả cải cách hành chính.\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Công tác chỉ đạo, điều hành\n"
        "a) Chỉ tiêu\n"
        "2. Cải cách thể chế\n"
        "3. Cải cách tổ chức bộ máy hành chính nhà nước\n"
        "4. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số\n"
        "5. Công tác thông tin, tuyên truyền\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
    )
    assert titles(text) == [
        "Công tác chỉ đạo, điều hành",
        "Cải cách thể chế",
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        "Công tác thông tin, tuyên truyền",
    ]


def test_standard_area_keys_are_reported():
    plan = extract("1. Cải cách chế độ công vụ\n2. Cải cách tài chính công\n")
    assert [area.standard for area in plan.areas] == ["civil_service", "public_finance"]


def test_run_in_headings_end_at_the_first_comma_outside_a_fixed_phrase():
    text = (
        "Thứ nhất, về công tác chỉ đạo, điều hành, các cơ quan xây dựng kế hoạch riêng.\n"
        "Thứ hai, về cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông, "
        "rà soát quy trình nội bộ.\n"
        "Thứ ba, về cải cách tài chính công: đẩy mạnh giao quyền tự chủ.\n"
        "Thứ tư, chú trọng công tác thi đua khen thưởng.\n"
    )
    assert titles(text) == [
        "công tác chỉ đạo, điều hành",
        "cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông",
        "cải cách tài chính công",
    ]


def test_areas_listed_in_prose_are_split_into_their_items():
    text = (
        "Năm nay tỉnh tập trung vào các nhóm nhiệm vụ: cải cách thể chế; cải cách thủ tục hành chính; "
        "cải cách chế độ công vụ, công chức; cải cách tài chính công và xây dựng, phát triển "
        "Chính quyền điện tử, Chính quyền số nhằm phục vụ người dân tốt hơn."
    )
    assert titles(text) == [
        "cải cách thể chế",
        "cải cách thủ tục hành chính",
        "cải cách chế độ công vụ, công chức",
        "cải cách tài chính công",
        "xây dựng, phát triển Chính quyền điện tử, Chính quyền số",
    ]


def test_a_tight_list_of_short_names_is_a_list_of_areas():
    text = (
        "Tỉnh đẩy mạnh cải cách hành chính trên các lĩnh vực: thể chế, thủ tục hành chính, tổ chức bộ máy, "
        "chế độ công vụ, tài chính công và chính quyền số."
    )
    assert titles(text) == [
        "thể chế",
        "thủ tục hành chính",
        "tổ chức bộ máy",
        "chế độ công vụ",
        "tài chính công",
        "chính quyền số",
    ]
    # Short names mentioned in passing are not a list.
    assert titles("Rà soát thủ tục hành chính, tổ chức bộ máy và tăng cường thực thi công vụ.") == []


def test_a_sentence_naming_fewer_than_three_areas_is_not_a_list():
    assert titles("Trọng tâm là cải cách thủ tục hành chính và cải cách tài chính công.") == []


def test_an_area_is_reported_once_even_when_a_heading_and_an_appendix_repeat_it():
    text = (
        "1. Cải cách thể chế\n"
        "Kế hoạch bao quát cải cách thể chế, cải cách thủ tục hành chính và cải cách tài chính công.\n"
        "STT | Nhiệm vụ | Cơ quan chủ trì\n"
        "I | CẢI CÁCH THỂ CHẾ | \n"
    )
    assert titles(text) == ["Cải cách thể chế", "cải cách thủ tục hành chính", "cải cách tài chính công"]


def test_a_heading_that_names_no_standard_area_is_not_an_area():
    assert titles("2. Kết quả đạt được\n3. Một số tồn tại, hạn chế\n4. Phương hướng năm tới\n") == []


def test_word_heading_styles_are_read_as_headings(tmp_path):
    assert titles("# II. NỘI DUNG\n## Cải cách thủ tục hành chính\n- Hiện đại hóa hành chính\n") == [
        "Cải cách thủ tục hành chính",
        "Hiện đại hóa hành chính",
    ]
