"""An administrator reads the audit trail without what only counsellors may read, cannot change their own roles, and
a manager reads every change of roles. Runs after the return workflow, which writes a counselling note and a travel
document number."""
from selenium.webdriver.common.by import By

from test_person_workflow import click_and_wait, sign_in


def sign_out(browser):
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))


def test_audit_restricts_and_role_changes_are_listed(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "admin", password)

    # The counsellor's entries: the counselling session is there, its notes and the document number are not.
    found = False
    for page in range(1, 10):
        browser.get(f"{base_url}/admin/audit?user=counsellor&page={page}")
        source = browser.page_source
        assert "Wants to rejoin his family" not in source
        assert "ETD 4471" not in source and "ETD4471" not in source
        if "counselling_session" in source and "changed (restricted)" in source:
            found = True
            browser.save_screenshot(str(screenshots / "70-audit-restricted.png"))
            break
    assert found, "no counselling session on the counsellor's audit pages"

    # An administrator does not change their own roles.
    browser.get(base_url + "/admin/users")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "admin"))
    browser.find_element(By.CSS_SELECTOR, "input[name='roles[]'][value=manager]").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit], form button.primary"))
    assert "cannot change your own roles" in browser.page_source
    browser.save_screenshot(str(screenshots / "71-own-roles-refused.png"))

    # Every change of roles, for managers and administrators.
    browser.get(base_url + "/admin/users")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Role changes"))
    assert "Role changes" in browser.find_element(By.TAG_NAME, "h1").text
    sign_out(browser)

    sign_in(browser, base_url, "manager", password)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Role changes"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert rows, "no role changes listed"
    assert any("counsellor" in r.text for r in rows)
    browser.save_screenshot(str(screenshots / "72-role-changes.png"))

    # A number from the address at its extreme is a message, not a crash.
    browser.get(base_url + "/cases?page=9223372036854775807")
    assert "page" in browser.page_source and "must be a whole number" in browser.page_source
    browser.save_screenshot(str(screenshots / "73-extreme-page.png"))
