"""A manager reads the period report with its charts, drills into a figure, reads the dashboard and downloads a case list."""

from selenium.webdriver.common.by import By

from test_person_workflow import click_and_wait, sign_in
from test_return_workflow import set_date, submit
from office import office_today


def test_period_report_drill_down_dashboard_and_case_list(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "manager", password)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Reports"))
    year = office_today().year

    # A range that ends before it starts is refused, with the field named, and what was typed stays.
    set_date(browser, "form.filters", "from", f"{year}-12-31")
    set_date(browser, "form.filters", "to", f"{year}-01-01")
    submit(browser, "form.filters")
    assert "must not be after" in browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, "[name=from]").get_attribute("value") == f"{year}-12-31"
    browser.save_screenshot(str(screenshots / "50-report-bad-range.png"))

    # The year before: every figure with its definition, the charts as pictures with their numbers.
    set_date(browser, "form.filters", "from", f"{year - 1}-01-01")
    set_date(browser, "form.filters", "to", f"{year - 1}-12-31")
    submit(browser, "form.filters")
    table = browser.find_element(By.CSS_SELECTOR, "table.report").text
    for label in ("Migrants departed", "Countries of return", "Travel documents obtained", "Airport departures"):
        assert label in table
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    # Return, the hub and medical cases (six), family reunification's nationalities and locations (two), resettlement
    # arrivals by country of departure (one).
    assert len(charts) == 10, len(charts)
    assert browser.find_element(By.ID, "c-dna-locations-t")
    assert all(c.find_element(By.TAG_NAME, "title").get_attribute("textContent") for c in charts)
    browser.save_screenshot(str(screenshots / "51-period-report.png"))

    # The cases behind a figure.
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#fig-departed a"))
    assert "Migrants departed" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "table a[href^='/cases/']")

    # The dashboard: every number links to its records.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
    assert "Open cases by programme" in browser.page_source
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".dash table a"))
    assert "/cases" in browser.current_url or "/return" in browser.current_url
    browser.save_screenshot(str(screenshots / "52-dashboard-link.png"))

    # A filtered case list offers its download with the same filters.
    browser.get(base_url + "/cases?programme=return&status=open")
    link = browser.find_element(By.LINK_TEXT, "Download CSV").get_attribute("href")
    assert "programme=return" in link and "status=open" in link and link.endswith("format=csv")

    # In Dutch, the figures carry Dutch names.
    browser.get(base_url + f"/reports/period?from={year - 1}-01-01&to={year - 1}-12-31")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.lang button, form[action='/language'] button"))
    assert "Migranten vertrokken" in browser.page_source
