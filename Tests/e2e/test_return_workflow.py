"""A counsellor carries a return case from intake to departure; departure waits for the travel document."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in


def submit(browser, form_selector):
    form = browser.find_element(By.CSS_SELECTOR, form_selector)
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def open_details(browser, summary_text):
    summary = browser.find_element(By.XPATH, f"//details/summary[normalize-space()='{summary_text}']")
    if summary.find_element(By.XPATH, "..").get_attribute("open") is None:
        summary.click()


def set_date(browser, form_selector, name, value):
    field = browser.find_element(By.CSS_SELECTOR, f"{form_selector} [name={name}]")
    browser.execute_script("arguments[0].value = arguments[1]", field, value)


def first_choice(select_element):
    s = Select(select_element)
    s.select_by_index(1)


def move(browser, stage, reason=""):
    Select(browser.find_element(By.CSS_SELECTOR, "form[action*='/move#'] [name=to]")).select_by_value(stage)
    if reason:
        browser.find_element(By.CSS_SELECTOR, "form[action*='/move#'] [name=reason]").send_keys(reason)
    submit(browser, "form[action*='/move#']")


def test_return_case_from_intake_to_departure(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "counsellor", password)
    browser.get(base_url + "/persons/new")
    browser.find_element(By.NAME, "familyName").send_keys("El Idrissi")
    browser.find_element(By.NAME, "givenNames").send_keys("Youssef")
    browser.find_element(By.NAME, "dateOfBirth").send_keys("1991")
    Select(browser.find_element(By.NAME, "nationality")).select_by_value("MA")
    Select(browser.find_element(By.NAME, "sex")).select_by_value("M")
    browser.find_element(By.NAME, "languages").send_keys("ar")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert "The person was registered." in browser.page_source

    # Intake: a wrong form first, then the real one.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Open a return case"))
    submit(browser, "form[action^='/return/new']")
    assert browser.find_element(By.ID, "f-open-referralSource-error").is_displayed()
    # The country of return starts from the person's nationality.
    destination = Select(browser.find_element(By.NAME, "destinationCountry")).first_selected_option
    assert destination.get_attribute("value") == "MA"
    Select(browser.find_element(By.NAME, "referralSource")).select_by_value("reception_agency")
    first_choice(browser.find_element(By.NAME, "stayLocationID"))
    Select(browser.find_element(By.NAME, "preferredLanguage")).select_by_value("ar")
    Select(browser.find_element(By.NAME, "destinationCountry")).select_by_value("MA")
    browser.find_element(By.NAME, "destinationPlace").send_keys("Tangier")
    submit(browser, "form[action^='/return/new']")
    assert "/return/cases/" in browser.current_url
    case_url = browser.current_url.split("#")[0]
    browser.save_screenshot(str(screenshots / "10-return-intake.png"))

    # Counselling, the decision to return, eligibility.
    form = "form[action*='/sessions#']"
    first_choice(browser.find_element(By.CSS_SELECTOR, f"{form} [name=locationID]"))
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=outcome]")).select_by_value("decided_to_return")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=notes]").send_keys("Wants to rejoin his family in Tangier.")
    submit(browser, form)
    move(browser, "counselling")
    move(browser, "decided_to_return")
    submit(browser, "form[action*='/eligibility#']")
    decision = browser.find_element(By.ID, "decision").text
    assert "Morocco (MA)" in decision and "reintegration support" in decision and "version 1" in decision
    move(browser, "eligibility_decided")
    move(browser, "preparing_departure")

    # Reintegration plan and grant.
    open_details(browser, "Write the plan")
    form = "form[action*='/plan#']"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=purpose]")).select_by_value("business")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=description]").send_keys("A mobile phone repair stall")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=budgetItem_1]").send_keys("Tools")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=budgetAmount_1]").send_keys("400")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=budgetItem_2]").send_keys("Stock")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=budgetAmount_2]").send_keys("900")
    submit(browser, form)
    assert "Stock: €900.00" in browser.find_element(By.ID, "reintegration").find_element(By.XPATH, "following-sibling::section").text
    open_details(browser, "Grant support")
    form = "form[action*='/grants#']"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=type]")).select_by_value("economic")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=amount]").send_keys("1300")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=cash]").send_keys("300")
    submit(browser, form)
    assert "€1,300.00" in browser.page_source

    # Departure is refused: no travel document yet.
    assert "no travel document valid" in browser.find_element(By.ID, "departure-blockers").text
    move(browser, "departed")
    assert "Cannot move to departed" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    browser.save_screenshot(str(screenshots / "11-return-departure-refused.png"))

    # The embassy issues the document; now the migrant may leave.
    browser.get(case_url)
    open_details(browser, "Request a travel document")
    form = "form[action*='/travel-documents#']"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=embassyID]")).select_by_visible_text("Embassy of Morocco (MA)")
    submit(browser, form)
    open_details(browser, "Update the request")
    form = "form[action*='/travel-documents/']"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=status]")).select_by_value("issued")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=number]").send_keys("ETD 4471")
    set_date(browser, form, "expiresOn", "2099-06-30")
    submit(browser, form)
    assert browser.find_element(By.ID, "departure-ready").is_displayed()
    move(browser, "departed")
    assert "say how the person left" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    move(browser, "departed", "Travelled on a ticket the family bought")
    assert "Departed" in browser.find_element(By.CSS_SELECTOR, "h1 .badge").text
    assert "Stage Preparing departure → Departed" in browser.page_source
    browser.save_screenshot(str(screenshots / "12-return-departed.png"))
