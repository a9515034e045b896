import pytest
from django.core.exceptions import ValidationError

from accounts.forms import clean_phone, has_thai_letters


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081 234 5678", "0812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("054 511 411 ต่อ 102", "054511411 ต่อ 102"),
        ("", ""),
    ],
)
def test_it_normalises_thai_phone_numbers(typed, stored):
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0812", "phone", "1234567890"])
def test_it_rejects_what_is_not_a_thai_phone_number(typed):
    with pytest.raises(ValidationError) as error:
        clean_phone(typed)
    assert "081 234 5678" in str(error.value)


def test_it_spots_thai_letters_but_not_thai_digits():
    assert has_thai_letters("ะำหะ")
    assert not has_thai_letters("๐๘๑")
    assert not has_thai_letters("password")
