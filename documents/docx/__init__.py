"""DOCX output: letters (documents.docx.letter) and the BCP (documents.docx.bcp), filled into the
templates that documents/docx_templates/build_templates.py generates."""


def render_letter_docx(letter) -> bytes:
    from documents.docx.letter import render_letter_docx as render

    return render(letter)


def render_bcp_docx(data: dict) -> bytes:
    from documents.docx.bcp import render_bcp_docx as render

    return render(data)
