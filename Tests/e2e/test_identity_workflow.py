"""One person registered twice: the second registration is warned, kept apart by the counsellor, and the two records
are merged by a manager, then the merge undone."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in
from test_security_workflow import sign_out


def register(browser, base_url, family, given, dob):
    browser.get(base_url + "/persons/new")
    browser.find_element(By.NAME, "familyName").send_keys(family)
    browser.find_element(By.NAME, "givenNames").send_keys(given)
    browser.find_element(By.NAME, "dateOfBirth").send_keys(dob)
    Select(browser.find_element(By.NAME, "nationality")).select_by_value("ER")
    Select(browser.find_element(By.NAME, "sex")).select_by_value("M")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))


def reference(browser):
    return browser.find_element(By.CSS_SELECTOR, "h1 .muted").text


def test_a_second_registration_is_warned_kept_apart_then_merged_and_undone(
    browser, base_url, password, screenshots, axe
):
    sign_in(browser, base_url, "counsellor", password)
    register(browser, base_url, "Hailemariam", "Tsegay", "1985-06-04")
    assert "The person was registered." in browser.page_source
    first_url = browser.current_url.split("?")[0]
    first = reference(browser)

    # Another hand, another spelling, day and month swapped: the page names the record already held, and why.
    register(browser, base_url, "Hailemaryam", "Tsegai", "1985-04-06")
    panel = browser.find_element(By.ID, "duplicates")
    assert first in panel.text
    assert "day and month swapped" in panel.text
    assert browser.find_element(By.NAME, "familyName").get_attribute("value") == "Hailemaryam"
    axe.check(browser, "/persons/new (possible duplicates)")
    browser.save_screenshot(str(screenshots / "40-possible-duplicate.png"))

    # The counsellor is sure it is someone else: ticked and saved, the office remembers.
    for box in browser.find_elements(By.NAME, "notSameAs[]"):
        box.click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert "The person was registered." in browser.page_source
    second = reference(browser)
    assert "Recorded as not the same person as" in browser.page_source
    sign_out(browser)

    # Later a manager finds it was the same man after all: compare, merge with a reason, then undo.
    sign_in(browser, base_url, "manager", password)
    # The review queue of the whole registry: checked now, read, and checked by axe.
    browser.get(base_url + "/persons/duplicates")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Check the registry now']"))
    assert "The registry check has started" in browser.page_source
    axe.check(browser, "/persons/duplicates (a check running)")
    # The check runs in the background; the page's status region asks again by itself until it has ended.
    for _ in range(60):
        if "The last check, on" in browser.find_element(By.ID, "check-status").text:
            break
        time.sleep(1)
    assert "The last check, on" in browser.find_element(By.ID, "check-status").text
    browser.get(base_url + "/persons/duplicates")
    assert "Check the registry now" in browser.page_source
    axe.check(browser, "/persons/duplicates")
    browser.save_screenshot(str(screenshots / "43-duplicate-queue.png"))
    browser.get(first_url + "/merge?other=" + second)
    axe.check(browser, "/persons/:id/merge")
    assert "not the same person" in browser.page_source
    browser.save_screenshot(str(screenshots / "41-merge-compare.png"))
    browser.find_element(By.NAME, "reason").send_keys("Same passport seen at the second interview")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.danger"))
    assert "The records were merged into this one." in browser.page_source
    assert "Tsegai Hailemaryam" in browser.page_source  # the other spelling is kept as an alias
    browser.save_screenshot(str(screenshots / "42-merged.png"))

    browser.get(base_url + "/persons?name=Tsegai+Hailemaryam")
    assert browser.page_source.count("Hailemariam, Tsegay") == 1 and "Hailemaryam, Tsegai" not in browser.page_source

    browser.get(first_url)
    browser.find_element(By.XPATH, "//summary[contains(., 'Undo the merge')]").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Undo the merge']"))
    assert "The merge was undone" in browser.page_source
    assert reference(browser) == second
