"""Filling docxtpl templates, fast: the template is read, cleaned and compiled once per process.

The templates use docxtpl's syntax ({{ … }}, {%p … %}, {%tr … %}; see build_templates.py), and
docxtpl's own `patch_xml` turns them into plain Jinja, once. A render then only runs Jinja over
document.xml and the headers/footers, turns line breaks in the values into <w:br/>, and writes the
zip, adding the pictures (emblem, QR code) as media parts. docxtpl's full render (python-docx
object model, regex passes over the output) took 0.5 s for the demo plan; this takes a fraction.

User text is always XML-escaped (Jinja autoescape); StrictUndefined makes a template/context
mismatch an error instead of a silently empty field.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import zipfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from markupsafe import Markup

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "docx_templates"
_env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_lock = threading.Lock()
_RENDERED = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
EMU_PER_MM = 36000


@dataclass
class _Template:
    files: list[tuple[str, bytes]]  # every part, in zip order
    compiled: dict[str, tuple[str, jinja2.Template]]  # part name -> (XML declaration, template)


@functools.cache
def _load(name: str) -> _Template:
    """Read the template, let docxtpl clean its tags into plain Jinja, compile (once)."""
    cleaner = DocxTemplate.__new__(DocxTemplate)  # patch_xml needs no document
    files, compiled = [], {}
    with zipfile.ZipFile(TEMPLATE_DIR / name) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            files.append((info.filename, data))
            if _RENDERED.match(info.filename):
                xml = data.decode("utf-8")
                decl = ""
                if xml.startswith("<?xml"):
                    end = xml.index("?>") + 2
                    decl, xml = xml[:end], xml[end:].lstrip()
                compiled[info.filename] = (decl, _env.from_string(cleaner.patch_xml(xml)))
    return _Template(files, compiled)


def _text_breaks(xml: str) -> str:
    """Line breaks and tabs inside values become Word breaks and tabs (the XML has no others)."""
    if "\n" in xml:
        xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    if "\t" in xml:
        xml = xml.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return xml


class Picture:
    """An inline picture for a {{ key }} run: printed as its own run with a w:drawing."""

    _ids = count(5000)

    def __init__(self, data: bytes, height_mm: float):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            width_px, height_px = im.size
            self.ext = "jpeg" if im.format == "JPEG" else "png"
        self.data = data
        self.cy = round(height_mm * EMU_PER_MM)
        self.cx = round(self.cy * width_px / max(1, height_px))
        self.rid = ""

    def __html__(self) -> str:
        doc_id = next(self._ids)
        drawing = (
            f'<w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '  # noqa: E501
            f'distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{self.cx}" cy="{self.cy}"/>'
            f'<wp:docPr id="{doc_id}" name="Picture {doc_id}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '  # noqa: E501
            'noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{doc_id}" name="image{doc_id}.{self.ext}"/><pic:cNvPicPr/></pic:nvPicPr>'  # noqa: E501
            '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '  # noqa: E501
            f'r:embed="{self.rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{self.cx}" cy="{self.cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing>"
        )
        return Markup(f'</w:t></w:r><w:r>{drawing}</w:r><w:r><w:t xml:space="preserve">')  # noqa: S704


def render_template(
    name: str, context: dict, *, images: dict[str, tuple[bytes, float]] | None = None
) -> bytes:
    """Fill documents/docx_templates/<name> with `context`; `images` maps a context key to
    (PNG/JPEG bytes, height in mm), printed where the template has {{ key }}."""
    template = _load(name)
    ctx = dict(context)
    pictures: list[Picture] = []
    for i, (key, (data, height_mm)) in enumerate((images or {}).items(), start=1):
        picture = Picture(data, height_mm)
        picture.rid = f"rIdPhromPicture{i}"
        pictures.append(picture)
        ctx[key] = picture

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for part, data in template.files:
            if part in template.compiled:
                decl, jinja = template.compiled[part]
                data = (decl + _text_breaks(jinja.render(ctx))).encode("utf-8")
            elif part == "word/_rels/document.xml.rels" and pictures:
                rels = "".join(
                    f'<Relationship Id="{p.rid}" Type="{IMAGE_REL}" Target="media/phrom{i}.{p.ext}"/>'
                    for i, p in enumerate(pictures, start=1)
                )
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            elif part == "[Content_Types].xml" and pictures:
                text = data.decode("utf-8")
                for ext, mime in (("png", "image/png"), ("jpeg", "image/jpeg")):
                    if f'Extension="{ext}"' not in text:
                        text = text.replace(
                            "<Default ", f'<Default Extension="{ext}" ContentType="{mime}"/><Default ', 1
                        )
                data = text.encode("utf-8")
            z.writestr(part, data)
        for i, p in enumerate(pictures, start=1):
            z.writestr(f"word/media/phrom{i}.{p.ext}", p.data)
    return out.getvalue()


@functools.lru_cache(maxsize=16)
def raster_emblem(data: bytes) -> bytes:
    """A PNG for Word: PNG and JPEG pass through; SVG is rasterised by Typst (300 dpi at 3 cm)."""
    if data.startswith(b"\x89PNG") or data[:3] == b"\xff\xd8\xff":
        return data
    import tempfile

    import typst

    with tempfile.TemporaryDirectory(prefix="phrom-emblem-") as tmp:
        root = Path(tmp)
        (root / "emblem.svg").write_bytes(data)
        (root / "main.typ").write_text(
            '#set page(width: auto, height: auto, margin: 0pt, fill: none)\n#image("emblem.svg", height: 3cm)\n',  # noqa: E501
            encoding="utf-8",
        )
        with _lock:
            return typst.compile(
                str(root / "main.typ"), root=str(root), format="png", ppi=300, ignore_system_fonts=True
            )
