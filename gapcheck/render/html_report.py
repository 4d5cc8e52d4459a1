"""The HTML report: one self-contained page (inline CSS, no scripts, no fetched resources).

It is what a reviewer opens in a browser or attaches to an e-mail, so it must work
offline and cannot be a vector for the documents it quotes: the template runs in the
sandbox with HTML autoescaping on, so a ``<script>`` inside a quoted clause arrives as
text. The only links are to the vendors' own policy pages and to anchors in the page.
"""

from __future__ import annotations

from pathlib import Path

from gapcheck.model import Report
from gapcheck.render.templates import render_text_template

TEMPLATE_NAME = "report.html.j2"


def render_html(report: Report, template: Path) -> str:
    """Render ``report`` with the HTML template file ``template``.

    Raises:
        TemplateError: the template is missing, malformed, uses an unknown variable or
            tries something the sandbox forbids.
    """
    return render_text_template(report, template, autoescape=True)
