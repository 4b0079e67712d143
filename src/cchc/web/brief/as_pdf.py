"""The brief as a one-page A4 PDF, drawn by WeasyPrint from an HTML template and its own CSS file.

WeasyPrint lays text out with Pango and the system's fonts: Tinos (croscore, metric twin of Times
New Roman) or Liberation Serif, with Noto Serif behind them for any letter they lack, so Vietnamese
prints whole (`scripts/system_deps.sh` installs them). The page must stay one page: the template is
laid out at the normal size and, should it run over, again at smaller sizes until it fits (a long
unit name or many rows cannot push the brief onto a second sheet).
"""

from pathlib import Path

from django.template.loader import render_to_string

from cchc.web.brief.content import BriefContent

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "web" / "brief_print.css"
# The body sizes of the stylesheet (classes size-0 … size-4, 10.5 pt down to 6.5 pt), tried in turn
# until the brief fits on one page.
SIZES = range(5)


def render(content: BriefContent) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the worker and tests need.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=str(STYLESHEET))
    document = None
    for size in SIZES:
        # The size arrives as a class, not an inline style, so the one stylesheet decides everything.
        html = render_to_string("web/brief_print.html", {"brief": content, "size_class": f"size-{size}"})
        document = HTML(string=html, base_url=str(STYLESHEET.parent)).render(stylesheets=[stylesheet])
        if len(document.pages) == 1:
            break
    else:
        # Even the smallest size runs over: keep the first page, which holds the headline figures.
        document.pages[1:] = []
    return document.write_pdf()
