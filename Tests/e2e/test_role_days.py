"""Each role's working day in the browser, with a refused save and its fix; axe-core checks every page on the way."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, give_consents, lacking_consent, sign_in
from test_return_workflow import set_date, submit
from office import office_today


def visit(browser, base_url, axe, path):
    browser.get(base_url + path)
    assert "Passage" in browser.title
    axe.check(browser, path)


def open_all_details(browser):
    browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")


def focused_is_summary(browser):
    return "error-summary" in (browser.switch_to.active_element.get_attribute("class") or "")


def first_return_case(browser, base_url, stage="intake"):
    browser.get(base_url + f"/return?owner=all&stage={stage}&sort=opened&dir=desc")
    return browser.find_element(By.CSS_SELECTOR, "table a[href^='/return/cases/']").get_attribute("href")


def test_counsellor_day(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "counsellor", password)
    for path in ("/cases/mine", "/persons", "/return", "/return/travel-documents", "/return/outreach",
                 "/return/workload", "/persons/new"):
        visit(browser, base_url, axe, path)
    url = first_return_case(browser, base_url)
    browser.get(url)
    axe.check(browser, "return case file")
    open_all_details(browser)
    # A session without a date or outcome is refused: the page lands on that form, the summary first.
    set_date(browser, "#s-sessions form", "heldOn", "")
    submit(browser, "#s-sessions form")
    assert browser.current_url.endswith("#s-sessions")
    summary = browser.find_element(By.CSS_SELECTOR, "#s-sessions .error-summary")
    assert "Date" in summary.text and "heldOn" not in summary.text
    assert focused_is_summary(browser)
    browser.save_screenshot(str(screenshots / "50-counsellor-refused.png"))
    axe.check(browser, "return case file, refused session")
    set_date(browser, "#s-sessions form", "heldOn", office_today().isoformat())
    Select(browser.find_element(By.CSS_SELECTOR, "#s-sessions [name=outcome]")).select_by_value("informed")
    submit(browser, "#s-sessions form")
    assert "?saved=sessions" in browser.current_url
    assert browser.find_element(By.ID, "saved").is_displayed()
    browser.save_screenshot(str(screenshots / "51-counsellor-saved.png"))
    axe.check(browser, "return case file, saved")
    # The same file in Dutch, on a phone.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/language'] button"))
    assert "Gesprekken" in browser.page_source
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "scrolls sideways"
    browser.save_screenshot(str(screenshots / "52-counsellor-phone-nl.png"))
    axe.check(browser, "return case file, Dutch, phone")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/language'] button"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    # An embassy missing from the list: proposed from the case file, refused without a name, then chosen at once.
    browser.get(url)
    open_all_details(browser)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Propose it"))
    axe.check(browser, "propose an embassy")
    submit(browser, "form.card")
    assert "Name" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    axe.check(browser, "propose an embassy, refused")
    name = "Embassy of Moldova " + datetime.datetime.now().strftime("%H%M%S%f")
    browser.find_element(By.NAME, "name").send_keys(name)
    Select(browser.find_element(By.NAME, "country")).select_by_value("MD")
    submit(browser, "form.card")
    assert "?saved=td-proposed" in browser.current_url
    assert "can be chosen now" in browser.find_element(By.ID, "saved").text
    choices = [o.get_attribute("textContent") for o in browser.find_elements(By.CSS_SELECTOR, "[name=embassyID] option")]
    assert f"{name} (MD) — proposed" in choices
    axe.check(browser, "return case file, embassy proposed")


def test_medical_officer_day(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "medical", password)
    for path in ("/return", "/return/medical"):
        visit(browser, base_url, axe, path)
    url = first_return_case(browser, base_url)
    browser.get(url)
    open_all_details(browser)
    # Medical details rest on the person's consent: the section says so and leads to where it is recorded.
    give_consents(browser, lacking_consent(browser), "medical_data", "Medical assessment, form M-2 signed")
    open_all_details(browser)
    assert not lacking_consent(browser)
    form = "#s-medical form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=fitToFlyRequired]")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=fitToFlyValidUntil]").clear()
    set_date(browser, form, "fitToFlyValidUntil", "31-31-2026")
    submit(browser, form)
    assert browser.current_url.endswith("#s-medical")
    assert browser.find_elements(By.CSS_SELECTOR, "#s-medical .error-summary")
    browser.save_screenshot(str(screenshots / "53-medical-refused.png"))
    axe.check(browser, "medical section, refused")
    open_all_details(browser)
    set_date(browser, form, "fitToFlyValidUntil", "")
    for name in ("category", "treatmentAvailability", "fitToFly", "escort"):
        element = browser.find_element(By.CSS_SELECTOR, f"{form} [name={name}]")
        if not Select(element).first_selected_option.get_attribute("value"):
            Select(element).select_by_index(1)
    submit(browser, form)
    assert "?saved=medical" in browser.current_url, browser.page_source[:3000]
    axe.check(browser, "medical section, saved")


def test_movements_officer_day(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "movements", password)
    for path in ("/movements/manifest", "/movements/ready", "/movements"):
        visit(browser, base_url, axe, path)
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//table//a[starts-with(@href, '/cases/') and starts-with(normalize-space(), 'R-')]"))
    axe.check(browser, "case of a booking")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Book flights"))
    axe.check(browser, "new booking")
    submit(browser, "form.card")
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "leg1_" not in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    browser.save_screenshot(str(screenshots / "54-movements-refused.png"))
    axe.check(browser, "new booking, refused")


def test_manager_day(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "manager", password)
    for path in ("/dashboard", "/reports/period", "/return/exceptions", "/movements/carbon", "/cases"):
        visit(browser, base_url, axe, path)
    browser.get(base_url + "/reports/period?from=2026-05-01&to=2026-01-01")
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    axe.check(browser, "period report, refused range")
    browser.get(base_url + "/reports/period?from=2026-01-01&to=2026-05-01")
    assert not browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    browser.save_screenshot(str(screenshots / "55-manager-report.png"))
    axe.check(browser, "period report")


def test_administrator_day(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "admin", password)
    for path in ("/admin/users", "/admin/registry", "/admin/audit", "/admin/webhooks", "/admin/role-changes",
                 "/admin/users/new"):
        visit(browser, base_url, axe, path)
    username = "walk" + datetime.datetime.now().strftime("%H%M%S%f")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "displayName").send_keys("Walk Through")
    browser.find_element(By.NAME, "password").send_keys("short")
    submit(browser, "form.card")
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    axe.check(browser, "new account, refused")
    browser.find_element(By.NAME, "password").send_keys(" but now long enough")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[type=checkbox][value=counsellor]")
    if boxes and not boxes[0].is_selected():
        boxes[0].click()
    submit(browser, "form.card")
    assert "The account is created." in browser.page_source
    browser.save_screenshot(str(screenshots / "56-administrator-created.png"))
    axe.check(browser, "account created")
    # Embassies proposed by counsellors wait for confirmation on the registry page.
    browser.get(base_url + "/admin/registry")
    confirms = browser.find_elements(By.CSS_SELECTOR, "#proposals form button")
    assert confirms, "the demo's proposed embassy is not listed"
    click_and_wait(browser, confirms[0])
    assert "?saved=registry-partners" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, "#proposals form button")) == len(confirms) - 1
    browser.save_screenshot(str(screenshots / "57-administrator-proposal-confirmed.png"))
    axe.check(browser, "registry, proposal confirmed")
