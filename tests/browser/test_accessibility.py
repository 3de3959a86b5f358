"""axe-core (pinned in package.json) finds no serious or critical accessibility
problem on any kind of reader page, left-to-right and right-to-left."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import reader_pages, unavailable

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    rules: result.passes.length + result.violations.length + result.incomplete.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
    })),
  };
}"""


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_reader_pages_have_no_serious_accessibility_violations(open_page, site, illustrated, code):
    if not AXE.is_file():
        unavailable(f"no {AXE.relative_to(settings.BASE_DIR)}: run `npm ci --ignore-scripts`")
    # add_script_tag writes axe's source into an inline <script>, which the reader
    # pages' Content-Security-Policy (script-src 'self') rightly blocks; this test's
    # browser context alone bypasses the policy to inject the checker.
    page = open_page(bypass_csp=True)
    problems = []
    for kind, (path, status) in reader_pages(illustrated, code).items():
        assert page.goto(site + path).status == status, kind
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE)
        assert result["rules"] > 20, kind  # axe really ran its rules
        problems += [
            f"{code} {kind}: [{v['impact']}] {v['id']}: {v['help']}\n    "
            + "\n    ".join(v["nodes"])
            for v in result["violations"]
            if v["impact"] in BLOCKING
        ]
    assert not problems, "\n".join(problems)
