"""Family reunification: a referral to an appointment, a DNA collection, two hand-overs, the result reported to the
IND, a ticket from the Mileage Fund and the family's flight booked by the movements team."""
import datetime
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_movements_workflow import fill_leg
from test_person_workflow import click_and_wait, give_consents, lacking_consent, sign_in
from test_return_workflow import set_date, submit
from office import office_today


def weekday_ahead(days):
    d = office_today() + datetime.timedelta(days=days)
    while d.weekday() > 4:
        d += datetime.timedelta(days=1)
    return d.isoformat()


def fill(browser, form, values):
    for name, value in values.items():
        field = browser.find_element(By.CSS_SELECTOR, f"{form} [name='{name}']")
        field.clear()
        field.send_keys(value)


def test_referral_to_result_and_travel(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "reunification", password)
    browser.get(base_url + "/persons?name=Tesfay")
    people = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "td a[href^='/persons/']")][:2]
    assert len(people) == 2, "the demo has persons named Tesfay"
    refs = []
    for href in people:
        browser.get(href)
        refs.append(browser.find_element(By.CSS_SELECTOR, "h1 span.muted").text)
    sponsor, child = refs

    # The referral form says what is missing, then takes the referral.
    browser.get(base_url + "/reunification/referrals/new")
    submit(browser, "form.card")
    assert "is required" in browser.page_source
    file_number = f"IND-E2E-{int(time.time())}"
    fill(browser, "form.card", {"indFileNumber": file_number, "sponsor": sponsor, "m1Person": child})
    set_date(browser, "form.card", "deadline", weekday_ahead(40))
    Select(browser.find_element(By.NAME, "centreID")).select_by_visible_text("Office Addis Ababa")
    Select(browser.find_element(By.NAME, "m1Relationship")).select_by_value("child")
    submit(browser, "form.card")
    assert file_number in browser.find_element(By.TAG_NAME, "h1").text
    referral = browser.current_url.split("#")[0]
    child_id = browser.find_element(By.CSS_SELECTOR, "#members td a").get_attribute("href").rsplit("/", 1)[-1]
    axe.check(browser, "referral")

    # An appointment outside opening hours is refused with the hours; at 09:00 it is booked.
    day = weekday_ahead(3)
    form = "#s-book form"
    set_date(browser, form, "day", day)
    fill(browser, form, {"time": "07:00"})
    submit(browser, form)
    assert "outside opening hours" in browser.page_source
    set_date(browser, form, "day", day)
    fill(browser, form, {"time": "09:00"})
    submit(browser, form)
    assert "(Africa/Addis_Ababa)" in browser.page_source and "Invitation (.ics)" in browser.page_source
    browser.save_screenshot(str(screenshots / "60-reunification-referral.png"))

    # The collection at that appointment, once the consent to DNA verification is recorded.
    give_consents(browser, lacking_consent(browser), "dna_verification", "DNA test for the IND, form signed")
    assert not lacking_consent(browser)
    form = "#s-collect form"
    fill(browser, form, {"documentSeen": "birth certificate 77/2016", "witness": "Dr. Abebe Kebede",
                         "sealNumber": "SL-E2E-1"})
    browser.find_element(By.CSS_SELECTOR, f"{form} [name=photoTaken]").click()
    submit(browser, form)
    assert "/reunification/samples/" in browser.current_url
    sample = browser.current_url.split("#")[0]
    identifier = browser.find_element(By.TAG_NAME, "h1").text.split()[-1]
    assert identifier.startswith("DNA-")

    # A hand-over from someone who does not hold the sample is refused; then collector → courier → laboratory.
    form = "#s-handover form"
    fill(browser, form, {"from": "Somebody Else", "receiver": "Yonas Girma (courier)", "sealNumber": "SL-E2E-1"})
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=to]")).select_by_value("courier")
    submit(browser, form)
    assert "does not hold the sample" in browser.page_source
    fill(browser, form, {"from": "Layla Haddad", "receiver": "Yonas Girma (courier)", "sealNumber": "SL-E2E-1"})
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=to]")).select_by_value("courier")
    submit(browser, form)
    assert "in transit" in browser.page_source
    fill(browser, form, {"from": "Yonas Girma (courier)", "receiver": "Laboratory intake", "sealNumber": "SL-E2E-1"})
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=to]")).select_by_value("laboratory")
    submit(browser, form)
    assert "at the laboratory" in browser.page_source
    form = "#s-result form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=outcome]")).select_by_value("match")
    fill(browser, form, {"reportReference": "LAB-E2E-1"})
    submit(browser, form)
    assert "result reported" in browser.page_source and "LAB-E2E-1" in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.custody li")) == 4
    browser.save_screenshot(str(screenshots / "61-reunification-custody.png"))
    axe.check(browser, "sample")
    browser.get(sample + "/label")
    assert browser.find_element(By.CSS_SELECTOR, "svg.barcode").is_displayed()
    browser.save_screenshot(str(screenshots / "62-reunification-label.png"))

    # Scanning the label finds the sample.
    browser.get(base_url + "/reunification")
    field = browser.find_element(By.NAME, "identifier")
    field.send_keys(identifier)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert browser.current_url == sample

    # The child travels alone: a ticket from the Mileage Fund, then the movements team books the flight.
    browser.get(referral + "#travel")
    form = "#s-ticket form"
    Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=eligibility]")).select_by_value("unaccompanied_minor")
    fill(browser, form, {"reason": "A child travelling alone; the family cannot pay.", "amount": "99999999"})
    submit(browser, form)
    assert "below zero" in browser.page_source
    fill(browser, form, {"amount": "412.00"})
    submit(browser, form)
    browser.get(base_url + "/reunification/mileage-fund")
    assert "A child travelling alone; the family cannot pay." in browser.page_source
    browser.get(referral)
    case_path = browser.find_element(By.XPATH, "//dl[@class='facts']//a[starts-with(@href, '/cases/')]") \
        .get_attribute("href")

    browser.delete_all_cookies()
    sign_in(browser, base_url, "movements", password)
    browser.get(case_path + "/bookings/new")
    # The referral made the child one of the sponsor's household: the booking may carry them. The sponsor, in the
    # Netherlands already, is not on the flight.
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name^=passenger_]:checked"):
        box.click()
    browser.find_element(By.NAME, f"passenger_{child_id.upper()}").click()
    browser.find_element(By.NAME, f"assist_{child_id.upper()}_meet_and_assist").click()
    flight = office_today() + datetime.timedelta(days=30)
    arrival = flight + datetime.timedelta(days=1)
    fill_leg(browser, 1, "ET", "714", "ADD", "AMS", flight.isoformat() + "T23:30", arrival.isoformat() + "T07:10")
    submit(browser, "form.card")
    assert "/bookings/" in browser.current_url, browser.page_source[:3000]
    assert "ADD" in browser.page_source and "AMS" in browser.page_source
    browser.save_screenshot(str(screenshots / "63-reunification-flight.png"))
