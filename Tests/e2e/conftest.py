import os
import pathlib
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a driver: Debian's is used


@pytest.fixture(scope="session")
def base_url():
    return os.environ.get("PASSAGE_URL", "http://127.0.0.1:8080")


@pytest.fixture(scope="session")
def password():
    return os.environ["PASSAGE_DEMO_PASSWORD"]


@pytest.fixture(scope="session")
def screenshots():
    path = pathlib.Path(os.environ.get("PASSAGE_SCREENSHOTS", "/tmp/passage-screens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-GB"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _axe_source():
    """axe-core as shipped in the axe-playwright-python wheel, read without importing Playwright."""
    import importlib.util

    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("axe-playwright-python is not installed: scripts/test installs it")
    return (pathlib.Path(list(spec.submodule_search_locations)[0]) / "axe.min.js").read_text()


class Axe:
    """Runs axe-core over the page in the browser; keeps every violation with the page it was found on."""

    def __init__(self):
        self.source = _axe_source()
        self.found = []

    def check(self, browser, label):
        browser.execute_script(self.source)
        violations = browser.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(function (r) { done(r.violations.map(function (v) {"
            "  return {id: v.id, impact: v.impact, help: v.help,"
            "          targets: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); })}; })); })"
            ".catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]); });")
        for v in violations:
            v["page"] = label
            self.found.append(v)
        serious = [v for v in violations if v["impact"] in ("critical", "serious")]
        assert not serious, f"{label}: {serious}"
        return violations


@pytest.fixture(scope="session")
def axe(screenshots):
    a = Axe()
    yield a
    # What is left (moderate and minor) is written down beside the screenshots.
    import json

    (screenshots / "axe-violations.json").write_text(json.dumps(a.found, indent=2))
