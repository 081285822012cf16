"""The visa application centre: an appointment booked, the applicant taken in from the passport's zone, the documents
checked, the application forwarded in a batch, decided, the passport returned; then the applicant's public status page
in Korean, which shows the status and nothing else."""
import datetime
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in
from test_resettlement_workflow import unfold
from test_return_workflow import set_date, submit
from test_reunification_workflow import fill
from office import office_today


def check_digit(s):
    def value(c):
        if c.isdigit():
            return int(c)
        if c.isalpha():
            return ord(c) - 55
        return 0
    return str(sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def zone(surname, given, number, born, expires):
    line1 = ("P<NLD" + surname + "<<" + given.replace(" ", "<") + "<" * 44)[:44]
    optional = "<" * 14
    head = number + check_digit(number)
    birth = born + check_digit(born)
    expiry = expires + check_digit(expires)
    composite = head + birth + expiry + optional + "0"
    return line1 + "\n" + head + "NLD" + birth + "F" + expiry + optional + "0" + check_digit(composite)


def open_day():
    d = office_today() + datetime.timedelta(days=2)
    while d.weekday() >= 5:
        d += datetime.timedelta(days=1)
    return d.isoformat()


def test_appointment_to_passport_returned_and_the_status_page(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "visa", password)
    browser.get(base_url + "/visa")
    assert "Applications by status" in browser.page_source
    axe.check(browser, "visa centre overview")

    # An appointment: the form names what is missing, then books the slot.
    day = open_day()
    browser.get(base_url + f"/visa/appointments?day={day}")
    unfold(browser, "book")
    submit(browser, "#s-book form")
    assert "is required" in browser.page_source
    name = f"Eva Test{int(time.time()) % 100000}"
    unfold(browser, "book")
    fill(browser, "#s-book form", {"name": name, "contact": "+31 6 5550 1234"})
    Select(browser.find_element(By.CSS_SELECTOR, "#s-book [name=time]")).select_by_value("11:40")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-book [name=counter]")).select_by_value("3")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-book [name=visaType]")).select_by_value("d2_student")
    submit(browser, "#s-book form")
    assert name in browser.find_element(By.ID, "counters").text
    browser.save_screenshot(str(screenshots / "kv-01-counters.png"))
    axe.check(browser, "visa centre counters")

    # Taken in: a zone with a wrong check digit is refused naming it; the right one registers the applicant.
    cell = browser.find_element(By.XPATH, f"//td[contains(., '{name}')]")
    click_and_wait(browser, cell.find_element(By.LINK_TEXT, "Take in"))
    assert name in browser.page_source
    passport = f"E2{int(time.time()) % 10**7:07d}"
    expires = f"{(office_today().year + 6) % 100:02d}0101"
    good = zone("TEST", "EVA", passport, "990704", expires)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    fill(browser, "form.card", {"mrz": bad})
    submit(browser, "form.card")
    assert "the check digit of the whole second line" in browser.page_source
    fill(browser, "form.card", {"mrz": good})
    submit(browser, "form.card")
    number = browser.find_element(By.TAG_NAME, "h1").text.split()[1]
    assert number.startswith("KV-"), browser.page_source[:2000]
    application = browser.current_url.split("#")[0]
    axe.check(browser, "visa application")

    # The documents checked in person: a refusal needs its reason; then everything is seen.
    Select(browser.find_element(By.NAME, "doc_diploma")).select_by_value("refused")
    submit(browser, "#s-verify form")
    assert "is required when the document is refused" in browser.page_source
    for select in browser.find_elements(By.CSS_SELECTOR, "#s-verify select"):
        Select(select).select_by_value("original")
    submit(browser, "#s-verify form")
    assert "verified" in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(str(screenshots / "kv-02-application.png"))

    # Forwarded alone in a batch, with its manifest.
    browser.get(base_url + "/visa#forward")
    for box in browser.find_elements(By.CSS_SELECTOR, "#s-batch input[type=checkbox]"):
        if box.get_attribute("aria-label") != number and box.is_selected():
            box.click()
    submit(browser, "#s-batch form")
    assert "Batch KB-" in browser.find_element(By.TAG_NAME, "h1").text
    assert number in browser.page_source and passport in browser.page_source
    browser.save_screenshot(str(screenshots / "kv-03-manifest.png"))

    # The embassy's decision, then the passport collected against a signature.
    browser.get(application)
    unfold(browser, "decision")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-decision [name=decision]")).select_by_value("issued")
    submit(browser, "#s-decision form")
    unfold(browser, "return")
    fill(browser, "#s-return form", {"collectedBy": "Eva Test"})
    submit(browser, "#s-return form")
    assert "signature" in browser.page_source
    unfold(browser, "return")
    browser.find_element(By.CSS_SELECTOR, "#s-return [name=signed]").click()
    submit(browser, "#s-return form")
    assert "passport returned" in browser.find_element(By.TAG_NAME, "h1").text

    # The public page, in Korean: the status only.
    browser.get(base_url + "/visa-status?lang=ko")
    axe.check(browser, "visa status page")
    fill(browser, "form.card", {"number": number})
    set_date(browser, "form.card", "dateOfBirth", "1999-07-05")
    submit(browser, "form.card")
    assert "찾을 수 없습니다" in browser.page_source
    fill(browser, "form.card", {"number": number})
    set_date(browser, "form.card", "dateOfBirth", "1999-07-04")
    submit(browser, "form.card")
    answer = browser.find_element(By.ID, "answer").text
    assert "여권 반환 완료" in answer
    for secret in ["Test", "TEST", passport, "1999"]:
        assert secret not in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(screenshots / "kv-04-status.png"))
