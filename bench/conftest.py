"""Benchmarks: collect bench_*.py files (python_files only names test_*.py); functions are test_*.

The root conftest.py applies here as well (fast password hashing, immediate tasks), and pytest-django
provides the `db` fixture as in the tests. Run with `make bench` (pytest bench --benchmark-only).
"""

from __future__ import annotations

import pytest


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None
