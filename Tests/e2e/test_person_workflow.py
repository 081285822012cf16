"""A counsellor signs in, registers a person, finds them by a misspelt name and opens the record."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def click_and_wait(browser, element):
    """Clicks a button or link and waits for the next page: the click returns before it has loaded."""
    browser.execute_script("window.__leaving = true")
    element.click()
    WebDriverWait(browser, 15).until(
        lambda b: b.execute_script("return !window.__leaving && document.readyState === 'complete'"))


def give_consents(browser, links, purpose, scope):
    """Records, on each person's page, the consent a step rests on (as the signed form says), then comes back."""
    back = browser.current_url
    for href in links:
        browser.get(href)
        summary = browser.find_element(By.CSS_SELECTOR, "details:has(#s-consent) > summary")
        if summary.find_element(By.XPATH, "..").get_attribute("open") is None:
            summary.click()
        Select(browser.find_element(By.CSS_SELECTOR, "#s-consent [name=purpose]")).select_by_value(purpose)
        browser.find_element(By.CSS_SELECTOR, "#s-consent [name=scope]").send_keys(scope)
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#s-consent button[type=submit]"))
        assert "The consent is recorded." in browser.page_source, browser.page_source[:2000]
    browser.get(back)


def lacking_consent(browser):
    """The persons a form's warning names as lacking the consent its step rests on."""
    return [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "p.warning a[href*='/persons/']")]


def sign_in(browser, base_url, username, password):
    browser.get(base_url + "/login")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def test_register_then_find_by_misspelt_name_and_open(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "counsellor", password)
    WebDriverWait(browser, 15).until(EC.url_contains("/cases/mine"))
    browser.save_screenshot(str(screenshots / "01-my-cases.png"))

    browser.get(base_url + "/persons/new")
    # First an incomplete form: the page says which fields to fix and keeps what was typed.
    browser.find_element(By.NAME, "familyName").send_keys("Gebremedhin")
    browser.find_element(By.NAME, "dateOfBirth").send_keys("1993-02-30")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert browser.find_element(By.ID, "f-givenNames-error").is_displayed()
    assert "1990-05-21" in browser.find_element(By.ID, "f-dateOfBirth-error").text
    assert browser.find_element(By.NAME, "familyName").get_attribute("value") == "Gebremedhin"
    browser.save_screenshot(str(screenshots / "02-register-errors.png"))

    browser.find_element(By.NAME, "givenNames").send_keys("Selamawit")
    browser.find_element(By.NAME, "familyNameOriginal").send_keys("ገብረመድህን")
    browser.find_element(By.NAME, "givenNamesOriginal").send_keys("ሰላማዊት")
    dob = browser.find_element(By.NAME, "dateOfBirth")
    dob.clear()
    dob.send_keys("1993-02")
    Select(browser.find_element(By.NAME, "nationality")).select_by_value("ER")
    Select(browser.find_element(By.NAME, "sex")).select_by_value("F")
    browser.find_element(By.NAME, "languages").send_keys("ti, ar")
    browser.find_element(By.NAME, "phone").send_keys("+31 6 2345 6789")
    Select(browser.find_element(By.NAME, "document[type]")).select_by_value("passport")
    browser.find_element(By.NAME, "document[number]").send_keys("E0 771 234")
    Select(browser.find_element(By.NAME, "document[issuingCountry]")).select_by_value("ER")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert "The person was registered." in browser.page_source
    record_url = browser.current_url.split("?")[0]

    # Search with a misspelt given name and a partial family name.
    browser.get(base_url + "/persons")
    browser.find_element(By.NAME, "name").send_keys("selamawet gebre")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]"))
    browser.save_screenshot(str(screenshots / "03-search.png"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Gebremedhin, Selamawit"))
    assert browser.current_url.split("?")[0] == record_url
    page = browser.page_source
    assert "ሰላማዊት" in page
    assert "E0771234" in page
    assert "Eritrea" in page
    browser.save_screenshot(str(screenshots / "04-person.png"))

    # The original-script name finds her too.
    browser.get(base_url + "/persons?name=%E1%88%B0%E1%88%8B%E1%88%9B%E1%8B%8A%E1%89%B5")
    assert "Gebremedhin, Selamawit" in browser.page_source


def test_wrong_password_stays_on_the_sign_in_page(browser, base_url):
    sign_in(browser, base_url, "counsellor", "not the password")
    assert "/login" in browser.current_url
    assert "wrong" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
