"""The HTML report in a real headless Chromium, at a phone's width and a desktop's.

Skipped where no Chromium is installed (Debian: ``apt-get install chromium``), except
where ``HEDGE_REQUIRE_BROWSER`` is set (``.ci/run`` sets it, and installs Chromium): there
a missing browser fails the run, so the layout is checked in CI. The report
is shown in an iframe exactly as wide as the screen (a headless window is at least 500 px
wide), and a script of the harness page (the report itself has none) measures it; the test
reads the findings from the dumped DOM.
"""

from __future__ import annotations

import json
import os
import re
from html import escape, unescape

import pytest

from classifier.model.estimator import CertaintyClassifier
from classifier.report import render_html, score_document

browser_module = pytest.importorskip("scripts.screenshot_report")
try:
    BROWSER = browser_module.find_browser()
except SystemExit as missing:
    if os.environ.get("HEDGE_REQUIRE_BROWSER"):
        pytest.fail(f"HEDGE_REQUIRE_BROWSER is set: {missing}", pytrace=False)
    pytest.skip("no Chromium installed", allow_module_level=True)

TEXT = (
    "The committee may delay the vote, although nobody is sure why. Members met on Tuesday.\n\n"
    "The chances of a quick settlement are slim. Perhaps the talks resume in spring. "
    "The river rose overnight.\n"
)
LONG_NAME = "reports/2026/" + "quarterly_field_notes_from_the_northern_district_" * 3 + ".txt"

HARNESS = """<!DOCTYPE html>
<html><body style="margin:0">
<iframe id="frame" style="border:0;width:WIDTHpx;height:900px" srcdoc="REPORT"></iframe>
<script>
document.getElementById('frame').addEventListener('load', () => {
const win = document.getElementById('frame').contentWindow, doc = win.document;
function box(e) { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; }
function overlap(a, b) { return a[0] < b[1] - 0.5 && b[0] < a[1] - 0.5 && a[2] < b[3] - 0.5
  && b[2] < a[3] - 0.5; }
const labels = [...doc.querySelectorAll('.legend .label, .legend .name, .legend .key')].map(box);
let overlaps = 0;
for (let i = 0; i < labels.length; i++)
  for (let j = i + 1; j < labels.length; j++) if (overlap(labels[i], labels[j])) overlaps++;
const clipped = [...doc.querySelectorAll('h1, h2, .legend, .summary, .filters, .index, p')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 || box(e)[1] > win.innerWidth + 1).length;
const cue = doc.querySelector('main .cue');
cue.focus();
const after = win.getComputedStyle(cue, '::after');
const tip = {content: after.content, position: after.position};
const sentence = doc.querySelector('main .s');
sentence.focus();
const sentenceTip = win.getComputedStyle(sentence, '::after').content;
const focusable = doc.activeElement === sentence;
doc.getElementById('show-uncertain').click();
const hidden = [...doc.querySelectorAll('main .s')].filter(
  e => win.getComputedStyle(e).display === 'none').map(e => e.classList.contains('certain'));
const out = document.createElement('pre');
out.id = 'result';
out.textContent = JSON.stringify({width: win.innerWidth, scroll: doc.documentElement.scrollWidth,
  overlaps, clipped, tip, sentenceTip, hidden, focusable});
document.body.append(out);
});
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def report():
    clf = CertaintyClassifier.load()
    return render_html([score_document(clf, TEXT, name=LONG_NAME)], threshold=clf.threshold_)


@pytest.mark.parametrize("width", [390, 1280])
def test_report_fits_the_screen_and_shows_details_on_focus(report, width, tmp_path):
    page = tmp_path / "harness.html"
    harness = HARNESS.replace("WIDTH", str(width)).replace("REPORT", escape(report))
    page.write_text(harness, encoding="utf-8")
    dom = browser_module.dump_dom(BROWSER, page, (max(width, 500), 900))
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    result = json.loads(unescape(found.group(1)))
    assert result["width"] == width
    assert result["scroll"] <= width  # nothing wider than the screen
    assert result["clipped"] == 0  # long names wrap; legend, summary, filters fit
    assert result["overlaps"] == 0  # legend labels do not overlap
    assert result["tip"]["position"] == "fixed" and "log-odds" in result["tip"]["content"]
    assert "certainty" in result["sentenceTip"] and result["focusable"]
    assert result["hidden"] and all(result["hidden"])  # "uncertain only" hides certain ones
