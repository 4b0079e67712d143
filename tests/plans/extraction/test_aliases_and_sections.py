"""Usual abbreviations of units (a data table), and the "Tổ chức thực hiện" section, which holds no tasks."""

import json
from pathlib import Path

import pytest

from cchc.plans.extraction import extract, read_text
from cchc.plans.extraction.aliases import ALIASES_FILE, Meaning, meaning

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.mark.parametrize(
    "written, means",
    [
        ("Sở NV", Meaning("Sở Nội vụ")),
        ("SỞ NV", Meaning("Sở Nội vụ")),
        ("Sở KH&ĐT", Meaning("Sở Kế hoạch và Đầu tư")),
        ("Văn phòng UBND tỉnh", Meaning("Văn phòng Ủy ban nhân dân tỉnh")),
        ("VP UBND tỉnh", Meaning("Văn phòng Ủy ban nhân dân tỉnh")),
        ("UBND tỉnh", Meaning("Ủy ban nhân dân tỉnh", ("province",))),
        ("Ủy ban nhân dân tỉnh", Meaning("Ủy ban nhân dân tỉnh", ("province",))),
        ("UBND các xã, phường", Meaning("Ủy ban nhân dân các xã, phường", ("commune",))),
        ("UBND cấp huyện", Meaning("Ủy ban nhân dân cấp huyện", ("district",))),
        ("các sở, ban, ngành", Meaning("các sở, ban, ngành", ("agency",))),
        # No alias: the name itself, abbreviations written out.
        ("Sở Tư pháp", Meaning("Sở Tư pháp")),
        ("UBND xã Tây", Meaning("Ủy ban nhân dân xã Tây")),
    ],
)
def test_a_written_unit_means(written, means):
    assert meaning(written) == means


def test_the_aliases_are_data_every_level_a_unit_type():
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    assert {"words", "names", "levels"} <= data.keys()
    types = {"province", "agency", "district", "commune"}
    assert all(set(levels) <= types for levels in data["levels"].values())
    # Every short name leads to a full name that is no alias itself (no chains to follow).
    assert all(meaning(full).name == full for full in data["names"].values())


PLAN = """KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026
II. NHIỆM VỤ TRỌNG TÂM
1. Rà soát thủ tục hành chính nội bộ (Sở Tư pháp chủ trì, phối hợp với Sở NV; hoàn thành trong Quý II/2026).
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị theo dõi, đôn đốc việc thực hiện Kế hoạch.
2. Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Nội vụ tổng hợp báo cáo; thời gian: hằng quý.
Giao Sở Tài chính chủ trì, bảo đảm kinh phí thực hiện Kế hoạch.
PHỤ LỤC
Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
Số hóa hồ sơ thủ tục hành chính | Văn phòng UBND tỉnh | Sở NV | Quý III
"""


def test_sentences_under_the_implementation_section_are_not_tasks():
    found = [(task.text, task.lead_unit) for task in extract(PLAN).tasks]
    assert found == [
        ("Rà soát thủ tục hành chính nội bộ", "Sở Tư pháp"),
        ("Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND tỉnh"),  # the appendix table still counts
    ]


def test_the_implementation_section_may_be_a_numbered_or_plain_heading():
    for title in ("4. Tổ chức thực hiện", "TỔ CHỨC THỰC HIỆN", "# Trách nhiệm thực hiện"):
        text = f"{title}\nSở Nội vụ chủ trì, phối hợp với các sở theo dõi việc thực hiện.\n"
        assert extract(text).tasks == [], title
    # A heading that only starts with the same words is an ordinary heading.
    text = "1. Thực hiện cải cách thể chế\nSở Tư pháp chủ trì, rà soát văn bản quy phạm pháp luật.\n"
    assert [task.lead_unit for task in extract(text).tasks] == ["Sở Tư pháp"]


def test_no_seed_task_comes_from_an_implementation_section():
    if not (SEEDS / "gold.json").is_file():
        pytest.skip(f"no seed annotation at {SEEDS}")
    for document in json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))["documents"]:
        text = read_text(SEEDS / document["file"])
        lines = text.splitlines()
        for task in extract(text).tasks:
            before = "\n".join(lines[: task.line]).casefold()
            assert "tổ chức thực hiện\n" not in before, (document["file"], task.text)


def tasks_of(text: str) -> list[str]:
    return [task.text for task in extract(text).tasks]


def test_a_task_that_starts_with_the_same_words_starts_no_section():
    # Task items whose text begins "Tổ chức thực hiện ..." are tasks, and so is everything after them.
    text = (
        "II. NHIỆM VỤ\n1. Cải cách thể chế\n"
        "a) Tổ chức thực hiện, kiểm tra việc thi hành văn bản tại các cơ quan"
        " (Sở Tư pháp chủ trì; Quý II/2026).\n"
        "b) Rà soát văn bản quy phạm pháp luật (Sở Tư pháp chủ trì; Quý III/2026).\n"
    )
    assert tasks_of(text) == [
        "Tổ chức thực hiện, kiểm tra việc thi hành văn bản tại các cơ quan",
        "Rà soát văn bản quy phạm pháp luật",
    ]
    bullet = (
        "II. NHIỆM VỤ\n- Tổ chức thực hiện kế hoạch\n"
        "- Rà soát văn bản quy phạm pháp luật (Sở Tư pháp chủ trì; Quý III/2026).\n"
    )
    assert tasks_of(bullet) == ["Rà soát văn bản quy phạm pháp luật"]


def test_a_numbered_implementation_heading_ends_at_the_next_heading_of_its_level():
    text = (
        "II. NHIỆM VỤ\n1. Cải cách thể chế\n- Rà soát văn bản (Sở Tư pháp chủ trì; Quý III/2026).\n"
        "2. Tổ chức thực hiện\n- Sở Nội vụ theo dõi, đôn đốc.\n"
        "3. Cải cách thủ tục hành chính\n- Rà soát TTHC nội bộ (Sở Tư pháp chủ trì; Quý II/2026).\n"
    )
    assert tasks_of(text) == ["Rà soát văn bản", "Rà soát TTHC nội bộ"]


@pytest.mark.parametrize(
    "title", ["# III. TỔ CHỨC THỰC HIỆN", "PHẦN III. TỔ CHỨC THỰC HIỆN", "2. Tổ chức thực hiện:"]
)
def test_an_implementation_heading_with_more_than_one_marker(title):
    text = f"{title}\nSở Nội vụ chủ trì, phối hợp với các sở theo dõi việc thực hiện.\n"
    assert extract(text).tasks == [], title
