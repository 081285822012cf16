"""Data protection: an administrator reads the record of processing and records a sharing agreement (a refused one
first); a counsellor records a person's consent (a refused one first), then its withdrawal behind a confirmation; a
counsellor finds no way into the administrator's pages."""
import datetime
import io
import json
import urllib.parse
import urllib.request

import pyzipper

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in
from test_return_workflow import set_date, submit
from office import office_today


def open_fold(browser, section):
    summary = browser.find_element(By.CSS_SELECTOR, f"details:has(#s-{section}) > summary")
    if summary.find_element(By.XPATH, "..").get_attribute("open") is None:
        summary.click()


def test_agreements_and_the_record_of_processing(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "admin", password)
    browser.get(base_url + "/protection")
    assert "Record of processing activities" in browser.page_source
    assert "Consent of the person" in browser.page_source
    axe.check(browser, "record of processing")
    browser.save_screenshot(str(screenshots / "90-record-of-processing.png"))

    browser.get(base_url + "/protection/agreements")
    open_fold(browser, "agreement")
    form = "#s-agreement form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=partnerID]")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='purposes.partner_sharing']").click()  # untick
    submit(browser, form)
    assert "f-agreement-purposes-error" in browser.page_source
    assert "f-agreement-documentReference-error" in browser.page_source
    axe.check(browser, "agreement refused")
    browser.save_screenshot(str(screenshots / "91-agreement-refused.png"))
    form = "#s-agreement form"
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='purposes.partner_sharing']").click()
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='categories.medical']").click()
    reference = "DSA-E2E-" + datetime.datetime.now().strftime("%H%M%S")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=documentReference]").send_keys(reference)
    submit(browser, form)
    assert "The agreement is recorded" in browser.page_source
    row = browser.find_element(By.XPATH, f"//tr[td[contains(., '{reference}')]]")
    assert "medical" in row.text and "in force" in row.text
    axe.check(browser, "agreements")
    browser.save_screenshot(str(screenshots / "92-agreements.png"))

    # Who reads what: leaving a category to no one is refused, naming it; the matrix stays as it was.
    browser.get(base_url + "/protection/access")
    assert "vulnerability.medical" in browser.page_source
    axe.check(browser, "who reads what")
    form = "#s-access form"
    for box in browser.find_elements(By.CSS_SELECTOR, f"{form} input[name^='c.genetic.']:checked"):
        box.click()
    submit(browser, form)
    assert "f-access-c.genetic-error" in browser.page_source and "genetic" in browser.page_source
    axe.check(browser, "who reads what refused")
    browser.save_screenshot(str(screenshots / "93-who-reads-what.png"))
    browser.get(base_url + "/protection/access")
    assert browser.find_element(By.CSS_SELECTOR, "input[name='c.genetic.manager']").is_selected()


def test_a_consent_is_recorded_and_withdrawn(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "counsellor", password)
    browser.get(base_url + "/protection")
    assert "403" in browser.title or "not allow" in browser.page_source
    browser.get(base_url + "/return?owner=all&sort=opened&dir=desc")
    browser.get(browser.find_element(By.CSS_SELECTOR, "table a[href^='/return/cases/']").get_attribute("href"))
    browser.get(browser.find_element(By.CSS_SELECTOR, "main a[href^='/persons/']").get_attribute("href"))
    open_fold(browser, "consent")
    form = "#s-consent form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=purpose]")).select_by_value("sms")
    set_date(browser, form, "givenOn", (office_today() + datetime.timedelta(days=2)).isoformat())
    submit(browser, form)
    assert "must not be in the future" in browser.page_source
    assert "f-consent-scope-error" in browser.page_source
    axe.check(browser, "consent refused")
    browser.save_screenshot(str(screenshots / "93-consent-refused.png"))
    form = "#s-consent form"
    set_date(browser, form, "givenOn", office_today().isoformat())
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=scope]").send_keys("Texts about the flight, form T-1")
    submit(browser, form)
    assert "The consent is recorded." in browser.page_source
    row = browser.find_element(By.XPATH, "//tr[td[contains(., 'form T-1')]]")
    assert "in force" in row.text
    axe.check(browser, "consents")
    row.find_element(By.CSS_SELECTOR, "details.confirm > summary").click()
    row.find_element(By.CSS_SELECTOR, "[name=note]").send_keys("Asked at the desk")
    click_and_wait(browser, row.find_element(By.CSS_SELECTOR, "button.danger"))
    assert "The withdrawal is recorded" in browser.page_source
    row = browser.find_element(By.XPATH, "//tr[td[contains(., 'form T-1')]]")
    assert "withdrawn" in row.text and "Asked at the desk" in row.text
    browser.save_screenshot(str(screenshots / "94-consent-withdrawn.png"))


def test_a_request_for_access_is_logged_and_answered(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "counsellor", password)
    browser.get(base_url + "/return?owner=all&sort=opened&dir=desc")
    browser.get(browser.find_element(By.CSS_SELECTOR, "table a[href^='/return/cases/']").get_attribute("href"))
    person = browser.find_element(By.CSS_SELECTOR, "main a[href^='/persons/']").get_attribute("href")
    browser.get(person)
    open_fold(browser, "request")
    form = "#s-request form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=kind]")).select_by_value("rectification")
    submit(browser, form)
    assert "f-request-channel-error" in browser.page_source and "f-request-details-error" in browser.page_source
    form = "#s-request form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=kind]")).select_by_value("access")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=channel]").send_keys("At the desk in Ter Apel")
    submit(browser, form)
    assert "The request is logged" in browser.page_source
    axe.check(browser, "person with a request")

    browser.delete_all_cookies()
    sign_in(browser, base_url, "manager", password)
    browser.get(base_url + "/protection/requests")
    axe.check(browser, "requests")
    browser.save_screenshot(str(screenshots / "95-requests.png"))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "table a[href^='/protection/requests/']"))
    request = browser.current_url
    browser.get(request + "/print")
    assert "Everything held on" in browser.page_source and "withheld" not in browser.title
    browser.save_screenshot(str(screenshots / "96-everything-held.png"))
    browser.get(request)
    # The file leaves only in an archive protected by a password: a short one is refused, a good one opens in a
    # standard AES ZIP reader.
    open_fold(browser, "export")
    form = "#s-export form"
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=password]").send_keys("short")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=confirmation]").send_keys("short")
    submit(browser, form)
    assert "f-export-password-error" in browser.page_source and 'value="short"' not in browser.page_source
    browser.save_screenshot(str(screenshots / "97-protected-export.png"))
    token = browser.find_element(By.CSS_SELECTOR, f"{form} [name=_csrf]").get_attribute("value")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    body = urllib.parse.urlencode({"_csrf": token, "password": "a long passphrase", "confirmation": "a long passphrase"})
    req = urllib.request.Request(request + "/export", data=body.encode(), headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=60) as res:
        assert res.headers["Content-Type"].startswith("application/zip")
        archive = pyzipper.AESZipFile(io.BytesIO(res.read()))
    archive.setpassword(b"a long passphrase")
    [name] = archive.namelist()
    held = json.loads(archive.read(name))
    assert held["reference"] and held["sections"]
    browser.get(request)
    form = "#s-close form"
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=outcome]").send_keys("Printed and handed over at the desk")
    submit(browser, form)
    assert "answered" in browser.page_source and "Printed and handed over" in browser.page_source
    axe.check(browser, "request answered")


def test_a_letter_to_an_embassy_without_an_agreement_waits(browser, base_url, password, screenshots, axe):
    """The demo leaves one embassy with a waiting letter without an agreement: its letter is not printed but held,
    and the administrator finds it among what waits for an agreement; the others print."""
    sign_in(browser, base_url, "counsellor", password)
    browser.get(base_url + "/return/travel-documents")
    letters = sorted({a.get_attribute("href") for a in browser.find_elements(
        By.CSS_SELECTOR, "a[href*='/return/travel-documents/letter/']")})
    assert letters, "the demo has open travel document requests"
    titles = {}
    for href in letters:
        browser.get(href)
        titles[href] = browser.title
    waiting = [h for h, t in titles.items() if "waits for a sharing agreement" in t]
    assert len(waiting) == 1, titles
    browser.get(waiting[0])
    assert "No live sharing agreement with" in browser.page_source
    assert "letter card" not in browser.page_source
    axe.check(browser, "letter waiting")
    browser.save_screenshot(str(screenshots / "98-letter-waits.png"))
    embassy = browser.title.split("The letter to ")[1].split(" waits")[0]
    printed = [h for h in letters if h not in waiting]
    if printed:
        browser.get(printed[0])
        assert "letter card" in browser.page_source

    browser.delete_all_cookies()
    sign_in(browser, base_url, "admin", password)
    browser.get(base_url + "/protection/agreements")
    held = browser.find_element(By.XPATH, f"//tr[td[contains(., 'letter to an embassy: {embassy}')]]")
    assert "asked for by counsellor" in held.text and "No live sharing agreement" in held.text
    browser.save_screenshot(str(screenshots / "99-letter-held-for-an-agreement.png"))
