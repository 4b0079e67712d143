"""The demonstration province: Khánh Hòa's real communes, illustrative agencies and made-up people.

Agency codes here are illustrative (the real ones come from the province's document-exchange
code list); the banner on every page says the data is for demonstration.
"""

DEMO_PROVINCE_CODE = "56"
DEMO_PASSWORD = "cchc-demo-2026"

# (code suffix, name, kind, sub-units as (code suffix, name, kind))
AGENCIES = [
    (
        "VP",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Văn phòng",
        [
            ("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm"),
        ],
    ),
    (
        "SNV",
        "Sở Nội vụ",
        "Sở",
        [
            ("CCHC", "Phòng Cải cách hành chính", "Phòng"),
            ("TCCB", "Phòng Tổ chức, biên chế", "Phòng"),
        ],
    ),
    (
        "STP",
        "Sở Tư pháp",
        "Sở",
        [
            ("HCTP", "Phòng Hành chính tư pháp", "Phòng"),
        ],
    ),
    ("STC", "Sở Tài chính", "Sở", []),
    ("SXD", "Sở Xây dựng", "Sở", []),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở", []),
    ("SCT", "Sở Công Thương", "Sở", []),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở", []),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở", []),
    ("SYT", "Sở Y tế", "Sở", []),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở", []),
    ("TTR", "Thanh tra tỉnh", "Thanh tra", []),
    ("BQLKKT", "Ban Quản lý Khu kinh tế Vân Phong", "Ban", []),
    ("CA", "Công an tỉnh", "Cơ quan Trung ương đóng trên địa bàn", []),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "Cơ quan Trung ương đóng trên địa bàn", []),
]

# (username, full name, position, [(unit reference, role)]); a unit reference is an agency
# code suffix, "province", or "commune:<name>" for a commune of the province.
PEOPLE = [
    (
        "snv.quantri",
        "Nguyễn Thị Minh Thư",
        "Trưởng phòng Cải cách hành chính, Sở Nội vụ",
        [("province", "administrator"), ("province", "reform_office")],
    ),
    (
        "snv.thamdinh",
        "Võ Quốc Huy",
        "Chuyên viên Sở Nội vụ, thành viên tổ thẩm định",
        [("province", "appraiser")],
    ),
    ("lanhdao.tinh", "Trần Đức Khải", "Phó Chủ tịch Ủy ban nhân dân tỉnh", [("province", "viewer")]),
    ("stp.daumoi", "Lê Thị Hồng Nhung", "Chuyên viên, đầu mối CCHC Sở Tư pháp", [("STP", "focal_point")]),
    ("stp.giamdoc", "Phạm Văn Long", "Giám đốc Sở Tư pháp", [("STP", "leader")]),
    (
        "nhatrang.canbo",
        "Đặng Thị Thu Hà",
        "Công chức Văn phòng HĐND và UBND phường",
        [("commune:Phường Nha Trang", "focal_point")],
    ),
    ("nhatrang.chutich", "Huỳnh Minh Tâm", "Chủ tịch UBND phường", [("commune:Phường Nha Trang", "leader")]),
]
