"""Diaspora engagement: a manager registers an expert and a host institution, plans an assignment, sees it through
and records the host's evaluation; the counts follow."""
import datetime
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in
from test_resettlement_workflow import unfold
from test_return_workflow import set_date, submit
from test_reunification_workflow import fill
from office import office_today


def test_expert_to_evaluated_assignment(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "manager", password)
    browser.get(base_url + "/diaspora")
    before = browser.find_element(By.ID, "totals").text
    axe.check(browser, "diaspora overview")

    family = f"Diriye{int(time.time()) % 100000}"
    unfold(browser, "expert")
    fill(browser, "#s-expert form", {"pFamilyName": family, "pGivenNames": "Amina", "pDateOfBirth": "1983-05-09",
                                     "pNationality": "SO", "skills": "midwifery", "languages": "so, en",
                                     "countries": "SO"})
    Select(browser.find_element(By.CSS_SELECTOR, "#s-expert [name=pSex]")).select_by_value("F")
    submit(browser, "#s-expert form")
    assert "is required" in browser.page_source  # the profession
    fill(browser, "#s-expert form", {"profession": "Midwife"})
    submit(browser, "#s-expert form")
    assert family in browser.find_element(By.ID, "experts").text

    host = f"Hargeisa Group Hospital {int(time.time()) % 1000}"
    unfold(browser, "host")
    fill(browser, "#s-host form", {"name": host, "country": "SO", "city": "Hargeisa"})
    Select(browser.find_element(By.CSS_SELECTOR, "#s-host [name=sector]")).select_by_value("health")
    submit(browser, "#s-host form")
    assert host in browser.find_element(By.ID, "institutions").text

    unfold(browser, "assignment")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-assignment [name=expertID]")).select_by_visible_text(
        f"{family}, Amina — Midwife")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-assignment [name=institutionID]")).select_by_visible_text(
        f"{host}, Somalia")
    today = office_today()
    set_date(browser, "#s-assignment form", "startsOn", (today - datetime.timedelta(days=30)).isoformat())
    set_date(browser, "#s-assignment form", "endsOn", (today - datetime.timedelta(days=60)).isoformat())
    fill(browser, "#s-assignment form", {"tasks": "Train the maternity ward's midwives"})
    submit(browser, "#s-assignment form")
    assert "must not be before the first day" in browser.page_source
    unfold(browser, "assignment")
    set_date(browser, "#s-assignment form", "endsOn", (today - datetime.timedelta(days=2)).isoformat())
    submit(browser, "#s-assignment form")
    assert host in browser.find_element(By.TAG_NAME, "h1").text, browser.page_source[:1500]
    axe.check(browser, "diaspora assignment")

    for status in ["under_way", "completed"]:
        Select(browser.find_element(By.CSS_SELECTOR, "#s-status [name=status]")).select_by_value(status)
        submit(browser, "#s-status form")
    unfold(browser, "evaluation")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-evaluation [name=score]")).select_by_value("5")
    fill(browser, "#s-evaluation form", {"evaluation": "The ward now trains its own staff."})
    submit(browser, "#s-evaluation form")
    assert "5/5" in browser.page_source
    browser.save_screenshot(str(screenshots / "dp-01-assignment.png"))

    browser.get(base_url + "/diaspora")
    assert browser.find_element(By.ID, "totals").text != before
