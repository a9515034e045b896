import pytest

from accounts import actions


def test_it_returns_and_saves_only_the_changed_fields(cast):
    changed = actions.update_profile(cast.planner, full_name=cast.planner.full_name, phone="0899999999")
    assert changed == ["phone"]
    cast.planner.refresh_from_db()
    assert cast.planner.phone == "0899999999"


def test_it_refuses_fields_that_are_not_the_profile(cast):
    with pytest.raises(TypeError):
        actions.update_profile(cast.planner, is_superuser=True)
