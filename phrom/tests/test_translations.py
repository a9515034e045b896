"""The Thai catalogue is complete, compiled, and used: pages speak Thai first and English on request.

The .mo file is committed so that a machine without gettext still shows Thai; these tests catch a
.po that was edited (or refreshed with `make messages`) without translating or recompiling.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
MSGFMT = shutil.which("msgfmt")

# %(name)s, %s, {0}, {{ var }}: what Python or the template fills in; a translation keeps them all.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\d*\}|\{\{[^}]*\}\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags": set, "msgid": str, "msgid_plural": str?, "msgstr": [str]}.

    Enough of the format for Django's catalogues: comments, flags, msgctxt, plurals, continued
    lines. Obsolete entries (#~) are skipped.
    """
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            name, index, value = match.groups()
            value = ast.literal_eval(value)
            if name.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = value
            else:
                key = (name, None)
                entry[name] = value
        elif line.startswith('"') and key is not None:
            value = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += value
            else:
                entry[key[0]] += value
        else:
            raise ValueError(f"{path}: cannot read line {raw!r}")
    finish()
    for e in entries:
        e["msgstr"] = [e["msgstr"][i] for i in sorted(e["msgstr"])]
    return entries


def catalogue(mo_path: Path) -> dict:
    with mo_path.open("rb") as f:
        return dict(gettext.GNUTranslations(f)._catalog)


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(PO_FILE)


def test_the_thai_catalogue_is_complete_and_reviewed(po_entries):
    header, messages = po_entries[0], po_entries[1:]
    assert header["msgid"] == ""
    assert "Language: th\n" in header["msgstr"][0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"][0]
    assert len(messages) > 100

    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries; review them and remove the flag: {fuzzy[:5]}"
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    assert not untranslated, f"{len(untranslated)} untranslated entries: {untranslated[:5]}"
    # Thai has one plural form: msgstr[0] only.
    wrong_plurals = [e["msgid"] for e in messages if "msgid_plural" in e and len(e["msgstr"]) != 1]
    assert not wrong_plurals, f"plural entries need exactly msgstr[0]: {wrong_plurals[:5]}"


def test_every_translation_keeps_its_placeholders_and_tags(po_entries):
    broken = []
    for e in po_entries[1:]:
        source = e["msgid"] + e.get("msgid_plural", "")
        for translated in e["msgstr"]:
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translated)):
                broken.append(("placeholders", e["msgid"]))
            if sorted(TAG.findall(e["msgid"])) != sorted(TAG.findall(translated)):
                broken.append(("tags", e["msgid"]))
    assert not broken, broken


def test_the_committed_mo_holds_every_translation_of_the_po(po_entries):
    """Needs no gettext: the .mo has exactly the .po's messages, translated the same way."""
    compiled = catalogue(MO_FILE)
    expected = {}
    for e in po_entries[1:]:
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for i, translated in enumerate(e["msgstr"]):
                expected[(msgid, i)] = translated
        else:
            expected[msgid] = e["msgstr"][0]
    compiled.pop("", None)
    assert compiled == expected, "run: make messages (or manage.py compilemessages -l th -i .venv)"


def test_the_committed_mo_is_what_msgfmt_makes_of_the_po(tmp_path):
    if MSGFMT is None:
        pytest.skip("install gettext (apt-get install gettext) to check the compiled catalogue")
    fresh = tmp_path / "django.mo"
    command = [MSGFMT, "--check-format", "-o", str(fresh), str(PO_FILE)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    assert catalogue(MO_FILE) == catalogue(fresh), (
        "locale/th/LC_MESSAGES/django.mo is out of date: run manage.py compilemessages -l th -i .venv"
    )


def test_pages_speak_thai_by_default(client):
    resp = client.get("/accounts/login/")
    assert resp.status_code == 200
    assert resp.headers["Content-Language"] == "th"
    body = resp.content.decode()
    assert "เข้าสู่ระบบ" in body
    assert "Sign in to Phrom" not in body


def test_pages_speak_english_after_the_switch(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    resp = client.get("/accounts/login/")
    assert resp.headers["Content-Language"] == "en"
    body = resp.content.decode()
    assert "Sign in to Phrom" in body
    assert "เข้าสู่ระบบพร้อม" not in body


def test_a_signed_in_page_speaks_thai(client, cast):
    client.force_login(cast.planner)
    body = client.get("/orgs/").content.decode()
    assert "ทำเนียบหน่วยงาน" in body and "ออกจากระบบ" in body
    assert "Organization directory" not in body
