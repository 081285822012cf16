"""Projects: a manager registers a project, records its budget, an outreach day with its participants and an
indicator with its target, then reads the page a donor receives and downloads it as CSV."""
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import sign_in
from test_resettlement_workflow import unfold
from test_return_workflow import set_date, submit
from test_reunification_workflow import fill
from office import office_today


def test_project_page_for_the_donor(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "manager", password)
    browser.get(base_url + "/projects")
    axe.check(browser, "projects")
    year = office_today().year
    code = f"E2E-{int(time.time()) % 10**6}"
    unfold(browser, "project")
    fill(browser, "#s-project form", {"code": code, "name": "Outreach in Utrecht", "donor": "Municipality"})
    set_date(browser, "#s-project form", "startsOn", f"{year}-01-01")
    set_date(browser, "#s-project form", "endsOn", f"{year - 1}-12-31")
    submit(browser, "#s-project form")
    assert "must not be before the first day" in browser.page_source
    unfold(browser, "project")
    set_date(browser, "#s-project form", "endsOn", f"{year}-12-31")
    submit(browser, "#s-project form")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Outreach in Utrecht", browser.page_source[:1500]
    project = browser.current_url.split("#")[0]

    unfold(browser, "budget")
    fill(browser, "#s-budget form", {"line": "Venues", "budget": "2500.00", "spent": "1200"})
    submit(browser, "#s-budget form")
    assert "€1,300.00" in browser.find_element(By.ID, "budget").text

    unfold(browser, "event")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-event [name=kind]")).select_by_value("outreach_day")
    fill(browser, "#s-event form", {"title": "Information day", "place": "Utrecht", "count_migrants": "40",
                                    "count_professionals": "-3"})
    set_date(browser, "#s-event form", "day", f"{year}-03-14")
    submit(browser, "#s-event form")
    assert "must be a whole number" in browser.page_source
    fill(browser, "#s-event form", {"count_professionals": "6"})
    submit(browser, "#s-event form")
    assert "46 participants (events: 1)" in browser.page_source

    unfold(browser, "indicator")
    fill(browser, "#s-indicator form", {"name": "People reached", "unit": "people"})
    submit(browser, "#s-indicator form")
    unfold(browser, "value")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-value [name=indicatorID]")).select_by_visible_text(
        "People reached")
    fill(browser, "#s-value form", {"period": f"{year}-Q1", "target": "40", "actual": "46"})
    submit(browser, "#s-value form")
    assert "115 %" in browser.find_element(By.ID, "indicators").text
    axe.check(browser, "project page")
    browser.save_screenshot(str(screenshots / "pj-01-project.png"))

    # The download carries the same figures (read with the browser's session cookie).
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    req = urllib.request.Request(project + "/export?format=csv", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as res:
        text = res.read().decode()
    assert code in text and "Venues" in text and "People reached" in text
