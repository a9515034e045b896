"""The letters and the BCP as DOCX in the download registry (documents.registry).

Letters printed from the download buttons leave the register number blank ("พร ๗๖๔๐๑/........")
for the สารบรรณ officer to write in when the letter is sent, and are dated the day they are made;
the builders (documents.letters.builders) take a number and a date when a caller has them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentKind, plan_file_name, register

DIGITS = {"digits": ("thai", "arabic")}


def _with_digits(letter, options):
    digits = options.get("digits")
    return letter.replace(digits=digits) if digits in ("thai", "arabic") else letter


def _letter(builder):
    def build(plan, options):
        from documents.letters import builders

        today = timezone.localdate()
        fn = getattr(builders, builder)
        if builder == "adoption_announcement":
            return _with_digits(fn(plan), options)
        return _with_digits(fn(plan, number=None, date=today), options)

    return build


def _pdf(build):
    def render(plan, *, code: str, options: dict) -> bytes:
        from documents.letters import render_letter_pdf

        return render_letter_pdf(build(plan, options))

    return render


def _docx(build):
    def render(plan, *, code: str, options: dict) -> bytes:
        from documents.letters import render_letter_docx

        return render_letter_docx(build(plan, options))

    return render


def _bcp_docx(plan, *, code: str, options: dict) -> bytes:
    from documents.docx import render_bcp_docx
    from documents.inputs import bcp_input

    return render_bcp_docx(bcp_input(plan, code=code, digits=options.get("digits")))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

register(
    DocumentKind(
        key="bcp_docx", label=_("Plan (Word, editable)"), render=_bcp_docx, content_type=DOCX,
        extension=".docx", filename=plan_file_name, order=15, option_choices=DIGITS,
    )
)  # fmt: skip

# The covering letter and the announcement speak of an approved plan; the team order does not.
NEEDS_APPROVAL = {"covering_letter", "adoption_announcement"}

LETTERS = [  # key, builder, label (PDF), label (Word), file name, order
    ("covering_letter", "covering_letter", _("Covering letter to OPDC (PDF)"), _("Covering letter to OPDC (Word)"),  # noqa: E501
     "หนังสือนำส่งแผนถึงสำนักงาน ก.พ.ร.", 20),
    ("team_order", "team_order", _("Order appointing the team (PDF)"), _("Order appointing the team (Word)"),
     "คำสั่งแต่งตั้งคณะทำงานบริหารความต่อเนื่อง", 30),
    ("adoption_announcement", "adoption_announcement", _("Announcement adopting the plan (PDF)"),
     _("Announcement adopting the plan (Word)"), "ประกาศใช้แผนดำเนินธุรกิจอย่างต่อเนื่อง", 40),
]  # fmt: skip

for key, builder, label_pdf, label_docx, what, order in LETTERS:
    build = _letter(builder)

    def filename(plan, what=what):
        return plan_file_name(plan, what)

    register(
        DocumentKind(
            key=f"{key}_pdf", label=label_pdf, render=_pdf(build), content_type="application/pdf",
            extension=".pdf", filename=filename, group="letters", order=order, verifiable=False,
            option_choices=DIGITS, needs_approval=key in NEEDS_APPROVAL,
        )
    )  # fmt: skip
    register(
        DocumentKind(
            key=f"{key}_docx", label=label_docx, render=_docx(build), content_type=DOCX,
            extension=".docx", filename=filename, group="letters", order=order + 1, verifiable=False,
            option_choices=DIGITS, needs_approval=key in NEEDS_APPROVAL,
        )
    )  # fmt: skip
