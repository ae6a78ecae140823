"""The HTML handout: self-contained, accessible, escaped by Jinja2, and printed by a real browser
(headless Chromium) to PDF and PNG, on A4 and US Letter, within its page budget."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nervecli.output.words import DISCLAIMER

from .conftest import Invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and POPPLER),
    reason="needs headless Chromium and poppler-utils (Debian: chromium, poppler-utils); "
    ".ci/run installs them with apt-get",
)


class _Page(HTMLParser):
    """What a page holds: tags in order, attributes, headings, text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


HANDOUTS = [
    ["compare", "steroid", "nerve-block"],
    ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
    ["show", "ketamine"],
    ["questions", "ketamine"],
    ["compare", "pregabalin", "gabapentin"],
    ["compare", "pregabalin", "capsaicin", "amitriptyline", "duloxetine"],
]
EVERY_VIEW = [
    *HANDOUTS,
    ["compare", "steroid", "nerve-block", "--full"],
    ["show", "pregabalin", "--full"],
    ["check", "--pregnant"],
    ["conditions"],
    ["conditions", "diabetes"],
    ["alternatives", "ketamine"],
    ["list"],
    ["sources"],
    ["search", "dizziness"],
]


@pytest.mark.parametrize("args", EVERY_VIEW, ids=" ".join)
def test_every_view_is_one_self_contained_accessible_page(cli: Invoke, args: list[str]) -> None:
    result = cli(*args, "--format", "html")
    assert result.exit_code == 0
    html = result.stdout
    page = _parse(html)
    tags = [t for t, _ in page.tags]
    assert tags[0] == "html" and page.tags[0][1].get("lang") == "en"
    assert not {"script", "img", "link", "iframe", "object"} & set(tags)
    assert not re.search(r"""(src|href)=["'](?!#)""", html)  # nothing fetched from anywhere
    assert "@import" not in html and "url(" not in html
    levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    for tag, attrs in page.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row")
        if tag == "svg":
            assert attrs.get("role") == "img" and attrs.get("aria-label")
    assert DISCLAIMER in html


def test_the_title_names_the_options(cli: Invoke) -> None:
    html = cli("compare", "steroid", "nerve-block", "-f", "html").stdout
    title = re.search(r"<title>(.*?)</title>", html)
    assert title and title.group(1).startswith("Steroid infusion vs Nerve block infusion")


def test_icon_arrays_carry_their_sentence_as_text(cli: Invoke) -> None:
    html = cli("show", "pregabalin", "-f", "html").stdout
    (label,) = set(re.findall(r'<svg[^>]*aria-label="(About 13 in 100[^"]*)"', html))
    assert label in html.replace(f'aria-label="{label}"', "")  # the sentence stands as text too
    assert "(range 11 to 15)" in label
    arrays = re.findall(r"<svg.*?</svg>", html)
    assert len(arrays) == 2  # benefit, and stopping because of side effects
    for svg in arrays:  # both on one denominator: 100 figures, 10 by 10
        assert svg.count("<circle") == 100
    assert [svg.count('class="on"') for svg in arrays] == [13, 7]
    assert 'class="on"' in html and 'class="off"' in html  # filled and hollow: shape, not colour


def test_footnotes_carry_the_quotes_the_handout_rests_on(cli: Invoke) -> None:
    html = cli("compare", "steroid", "nerve-block", "-f", "html").stdout
    sources = html[html.index('<section class="sources">') :]
    assert (
        "<q>Steroid infusions can provide rapid and long-lasting relief from nerve pain" in sources
    )
    assert "<q>Infusion therapy may be contraindicated for pregnant women" in sources


def test_promotional_sources_are_marked_in_the_text(cli: Invoke) -> None:
    html = cli("show", "ketamine", "-f", "html").stdout
    assert re.search(r'NMDA.*?<span class="promo">promotional</span>', html, flags=re.S)


HOSTILE = """
treatments:
  - id: hostile
    name: "Evil </table><script>alert(1)</script> \\"quoted\\" & 'single'"
    kind: therapy
    summary:
      text: "<b>not bold</b> </td></tr> {{ 7*7 }} {% raw %}"
      source: infusion-side-effects
      quote: x
"""


def test_hostile_catalogue_text_prints_literally(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(HOSTILE)
    html = cli("--catalog", str(tmp_path), "show", "hostile", "-f", "html").stdout
    assert (
        "<script>" not in html and "</table><script>" not in html and "<b>not bold</b>" not in html
    )
    assert "&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html and "{{ 7*7 }}" in html  # never evaluated
    page = _parse(html)
    assert "Evil </table><script>alert(1)</script>" in "".join(page.text)


# --- printed by a real browser -------------------------------------------------------------------


def _print(html: str, folder: Path, paper: str) -> Path:
    """Print a page to PDF with headless Chromium on A4 or US Letter."""
    page = folder / f"{paper}.html"
    page.write_text(
        html.replace("size: auto;", f"size: {paper};").replace(
            "size: landscape;", f"size: {paper} landscape;"
        )
    )
    pdf = folder / f"{paper}.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return pdf


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))  # type: ignore[union-attr]


def _ink(pdf: Path) -> float:
    """The share of the first page that is not white, rendered in grey by pdftoppm."""
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", "20", "-f", "1", "-l", "1", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    header = pgm.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3][-width * height :]
    return sum(1 for p in pixels if p < 200) / len(pixels)


# Two options on two pages, where the sources allow: graded medicines carry the notes on the
# evidence, the natural course, and each quote their figures rest on (the trial counts cited to
# the table that counts them), so a graded pair takes a third page and four options a fourth.
BUDGET = {
    "compare steroid nerve-block": 2,
    "compare pregabalin gabapentin": 3,
    "compare pregabalin capsaicin amitriptyline duloxetine": 3,
    "compare ketamine pregabalin tramadol prolotherapy": 4,  # eight notes on the evidence
    "show ketamine": 3,
    "questions ketamine": 3,
}


@needs_browser
@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("args", HANDOUTS, ids=" ".join)
def test_handouts_print_within_their_page_budget(
    cli: Invoke, tmp_path: Path, args: list[str], paper: str
) -> None:
    html = cli(*args, "-f", "html").stdout
    pdf = _print(html, tmp_path, paper)
    assert _pages(pdf) <= BUDGET[" ".join(args)]
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert DISCLAIMER in text
    assert "Catalogue 2026" in text and "last reviewed" in text
    assert "Sources" in text and "[1]" in text
    if args[0] != "questions":
        assert "Your notes and questions" in text
    for name in ("Steroid infusion", "Nerve block infusion") if args[1] == "steroid" else ():
        assert name in text
    if args[1] == "ketamine" and args[0] == "compare":
        for name in ("Ketamine infusion", "Pregabalin", "Tramadol", "Prolotherapy"):
            assert name in text
    assert _ink(pdf) > 0.01


@needs_browser
def test_a_screenshot_is_not_blank(cli: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "visit.html"
    page.write_text(cli("compare", "steroid", "nerve-block", "-f", "html").stdout)
    shot = tmp_path / "visit.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    empty = tmp_path / "blank.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1000,1400", f"--screenshot={empty}", blank.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert shot.stat().st_size > 10 * empty.stat().st_size


# Run in the page by the test only (the handout itself has no scripts): every run of letters
# whose boxes fall on more than one line is a word broken inside its letters.
_FIND_BROKEN = """<script>
addEventListener("load", () => {
  const broken = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walk.nextNode()); ) {
    for (const m of node.textContent.matchAll(/\\p{L}+/gu)) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  document.body.setAttribute("data-broken", JSON.stringify(broken));
  document.body.setAttribute("data-width", String(innerWidth));
  document.body.setAttribute("data-page", String(document.documentElement.offsetWidth));
});
</script>"""


@needs_browser
@pytest.mark.parametrize(
    "args",
    [
        ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
        ["compare", "steroid", "nerve-block", "local-anesthetic"],
        ["compare", "steroid", "nerve-block"],
        ["compare", "pregabalin", "gabapentin"],
        ["show", "ketamine"],
    ],
    ids=" ".join,
)
def test_on_a_phone_no_word_is_broken(cli: Invoke, tmp_path: Path, args: list[str]) -> None:
    """At 390 px a grid stacks per option, and no word is broken inside its letters."""
    import json

    page = tmp_path / "phone.html"
    # Headless Chromium's window is at least 500 px wide: the page is held to 390 px inside it
    # (the narrow layout applies below 40rem, 640 px, so the 500 px window has it too).
    phone = "<style>html { width: 390px; }</style>" + _FIND_BROKEN + "</body>"
    page.write_text(cli(*args, "-f", "html").stdout.replace("</body>", phone))
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=390,2400", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    width = re.search(r'data-width="(\d+)"', dom)
    held = re.search(r'data-page="(\d+)"', dom)
    found = re.search(r'data-broken="([^"]*)"', dom)
    assert width and held and found, "the check did not run"
    assert int(width.group(1)) < 640 and int(held.group(1)) == 390
    import html as markup

    broken = json.loads(markup.unescape(found.group(1)))
    assert broken == []
