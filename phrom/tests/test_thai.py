import datetime as dt

import pytest

from phrom.lib import thai


def test_it_writes_thai_digits_and_reads_them_back():
    assert thai.to_thai_digits("ว 3026/2563") == "ว ๓๐๒๖/๒๕๖๓"
    assert thai.to_arabic_digits("๐๘๑ ๒๓๔ ๕๖๗๘") == "081 234 5678"


def test_it_formats_letter_order_and_table_dates():
    d = dt.date(2020, 6, 23)
    assert thai.thai_date(d) == "๒๓ มิถุนายน ๒๕๖๓"
    assert thai.thai_date(d, style="order") == "๒๓ เดือน มิถุนายน พ.ศ. ๒๕๖๓"
    assert thai.thai_date(dt.date(2020, 4, 20), style="short") == "๒๐ เม.ย. ๖๓"
    assert thai.thai_date(d, digits="arabic") == "23 มิถุนายน 2563"


@pytest.mark.parametrize(
    ("day", "fy"),
    [(dt.date(2020, 9, 30), 2563), (dt.date(2020, 10, 1), 2564), (dt.date(2021, 1, 15), 2564)],
)
def test_it_names_the_fiscal_year_by_the_be_year_it_ends(day, fy):
    assert thai.fiscal_year(day) == fy


@pytest.mark.parametrize(
    "number",
    ["081-234-5678", "๐๘๑ ๒๓๔ ๕๖๗๘", "+66 81 234 5678", "054 511 411", "0 5453 4119 ต่อ 102", "1669", "191"],
)
def test_it_accepts_thai_phone_numbers_as_people_type_them(number):
    assert thai.is_valid_thai_phone(number)


@pytest.mark.parametrize("number", ["12345", "0212345678901", "07123456", "abc", "", "1234567890"])
def test_it_rejects_what_is_not_a_thai_phone_number(number):
    assert not thai.is_valid_thai_phone(number)


def test_it_formats_phones_the_official_way():
    assert thai.format_phone("0812345678") == "081 234 5678"
    assert thai.format_phone("054534119") == "0 5453 4119"


def test_it_checks_the_national_id_check_digit():
    # 1-1017-00203-51-? : compute a valid one from the published rule
    base = "110170020351"
    total = sum(int(d) * (13 - i) for i, d in enumerate(base))
    valid = base + str((11 - total % 11) % 10)
    assert thai.is_valid_national_id(valid)
    assert thai.is_valid_national_id(thai.to_thai_digits(valid))
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert not thai.is_valid_national_id(wrong)
    assert not thai.is_valid_national_id("123")


def test_uploaded_file_names_are_shown_without_folders_or_control_characters():
    from phrom.lib.files import display_file_name

    assert display_file_name("../../etc/passwd") == "passwd"
    assert display_file_name("C:\\Users\\สมใจ\\บัตร ประชาชน.jpg") == "บัตร ประชาชน.jpg"
    assert display_file_name("a\x00b\r\n.pdf") == "ab.pdf"
    assert display_file_name("", default="form") == "form"
    assert (
        display_file_name("ก" * 300 + ".pdf", max_length=20) == "ก" * 16 + ".pdf"
    )  # 20 characters, extension kept
