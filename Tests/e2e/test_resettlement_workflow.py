"""Resettlement: a household referred by UNHCR, accepted by the IND, oriented, given visas and found fit by a medical
officer, booked on a group movement by the movements team, flown and handed over on arrival."""
import datetime
import time
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_movements_workflow import fill_leg
from test_person_workflow import click_and_wait, give_consents, lacking_consent, sign_in
from test_return_workflow import set_date, submit
from test_reunification_workflow import fill
from office import office_today


def day(offset=0):
    return (office_today() + datetime.timedelta(days=offset)).isoformat()


def unfold(browser, section):
    """Opens the folded form of a section, as a click on its title does."""
    summary = browser.find_element(By.CSS_SELECTOR, f"details:has(#s-{section}) > summary")
    if summary.find_element(By.XPATH, "..").get_attribute("open") is None:
        summary.click()


def local(zone, minutes=0):
    t = datetime.datetime.now(ZoneInfo(zone)) + datetime.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%dT%H:%M"), t


def test_referral_to_arrival(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "resettlement", password)
    browser.get(base_url + "/resettlement")
    assert "Households by stage" in browser.page_source
    axe.check(browser, "resettlement overview")

    # The referral form names what is missing, then takes the household.
    browser.get(base_url + "/resettlement/referrals/new")
    submit(browser, "form.card")
    assert "is required" in browser.page_source
    number = f"LEB-E{int(time.time()) % 10**9}"
    fill(browser, "form.card", {
        "unhcrCaseNumber": number, "countryOfAsylum": "LB", "municipality": "Zwolle",
        "pFamilyName": "Saleh", "pGivenNames": "Hiba", "pDateOfBirth": "1990-04-12", "pNationality": "SY",
        "m1FamilyName": "Saleh", "m1GivenNames": "Karim", "m1DateOfBirth": "2012-02-02", "m1Nationality": "SY",
    })
    Select(browser.find_element(By.NAME, "category")).select_by_value("women_and_girls_at_risk")
    Select(browser.find_element(By.NAME, "pSex")).select_by_value("F")
    Select(browser.find_element(By.NAME, "m1Sex")).select_by_value("M")
    Select(browser.find_element(By.NAME, "m1Relationship")).select_by_value("child")
    submit(browser, "form.card")
    assert number in browser.find_element(By.TAG_NAME, "h1").text, browser.page_source[:2000]
    referral = browser.current_url.split("#")[0]
    assert "has not been accepted by the IND" in browser.page_source
    axe.check(browser, "resettlement referral")

    # The IND accepts the household.
    unfold(browser, "decision")
    Select(browser.find_element(By.CSS_SELECTOR, "#s-decision [name=outcome]")).select_by_value("accepted")
    set_date(browser, "#s-decision form", "decidedOn", day())
    submit(browser, "#s-decision form")
    assert "Saleh has no visa" in browser.page_source

    # Orientation in Beirut: both attend.
    browser.get(base_url + "/resettlement")
    unfold(browser, "session")
    fill(browser, "#s-session form", {"country": "LB", "place": "Beirut, training room", "language": "ar",
                                      "facilitator": "Rami Khoury"})
    set_date(browser, "#s-session form", "startsOn", day())
    set_date(browser, "#s-session form", "endsOn", day())
    submit(browser, "#s-session form")
    assert "/resettlement/orientation/" in browser.current_url
    rows = browser.find_elements(By.XPATH, f"//tr[td[normalize-space()='{number}']]//input[@type='checkbox']")
    assert len(rows) == 2
    for box in rows:
        box.click()
    submit(browser, "#s-attendance form")

    # A visa for each.
    browser.get(referral)
    for i in range(2):
        unfold(browser, "document")
        Select(browser.find_element(By.CSS_SELECTOR, "#s-document [name=personID]")).select_by_index(i)
        fill(browser, "#s-document form", {"number": f"NLV{number[-6:]}{i}"})
        set_date(browser, "#s-document form", "issuedOn", day())
        set_date(browser, "#s-document form", "validUntil", day(90))
        submit(browser, "#s-document form")
    assert "has no fit-to-travel check" in browser.page_source

    # The medical officer finds both fit; the details stay with her.
    browser.delete_all_cookies()
    sign_in(browser, base_url, "medical", password)
    browser.get(referral)
    unfold(browser, "health")
    missing = lacking_consent(browser)
    assert len(missing) == 2, browser.page_source[:3000]
    give_consents(browser, missing, "medical_data", "Pre-embarkation check, form signed")
    for i in range(2):
        unfold(browser, "health")
        form = "#s-health form"
        Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=personID]")).select_by_index(i)
        Select(browser.find_element(By.CSS_SELECTOR, f"{form} [name=kind]")).select_by_value("pre_embarkation")
        set_date(browser, form, "examinedOn", day())
        set_date(browser, form, "validUntil", day(20))
        fill(browser, form, {"medicalDetails": "Mild asthma; inhaler in hand luggage." if i == 0 else ""})
        submit(browser, form)
    assert "Every condition is met" in browser.page_source
    assert "Mild asthma" in browser.page_source
    browser.save_screenshot(str(screenshots / "70-resettlement-referral.png"))

    # The movements team plans a movement leaving Beirut in two minutes and books the household on it.
    browser.delete_all_cookies()
    sign_in(browser, base_url, "movements", password)
    browser.get(referral)
    assert "Mild asthma" not in browser.page_source
    browser.get(base_url + "/resettlement")
    unfold(browser, "movement")
    departs, departs_at = local("Asia/Beirut", 2)
    arrives, _ = local("Europe/Amsterdam", 300)
    fill_leg(browser, 1, "KL", "462", "BEY", "AMS", departs, arrives)
    submit(browser, "#s-movement form")
    assert "/resettlement/movements/" in browser.current_url, browser.page_source[:2000]
    movement = browser.current_url.split("#")[0]
    Select(browser.find_element(By.CSS_SELECTOR, "#s-add [name=referralID]")).select_by_visible_text(
        f"{number} (Lebanon)")
    submit(browser, "#s-add form")
    assert "Saleh, Hiba" in browser.page_source
    browser.save_screenshot(str(screenshots / "71-resettlement-movement.png"))
    axe.check(browser, "resettlement movement")

    # Ticketed, then flown once the flight has left.
    click_and_wait(browser, browser.find_element(By.XPATH, "//td/a[normalize-space()='held']"))
    Select(browser.find_element(By.CSS_SELECTOR, "#s-move [name=to]")).select_by_value("ticketed")
    fill(browser, "#s-move form", {"reference": "KLE2E1"})
    submit(browser, "#s-move form")
    wait = (departs_at - datetime.datetime.now(ZoneInfo("Asia/Beirut"))).total_seconds()
    time.sleep(max(0, wait) + 5)
    Select(browser.find_element(By.CSS_SELECTOR, "#s-move [name=to]")).select_by_value("flown")
    submit(browser, "#s-move form")
    assert "flown" in browser.page_source

    # The arrival: before the departure is refused beside the form; then the household is handed over.
    browser.get(movement)
    fill(browser, "#s-arrival form", {"arrivedAt": (office_today() - datetime.timedelta(days=1)).isoformat()
                                      + "T10:00"})
    submit(browser, "#s-arrival form")
    assert "is before the movement left" in browser.page_source
    arrived, _ = local("Europe/Amsterdam", 5)
    fill(browser, "#s-arrival form", {"arrivedAt": arrived, "note": "Met at the gate."})
    submit(browser, "#s-arrival form")
    badge = browser.find_element(By.CSS_SELECTOR, "h1 .badge").text
    assert badge == "arrived", browser.find_element(By.TAG_NAME, "main").text[:3000]
    browser.get(referral)
    assert "arrived" in browser.find_element(By.CSS_SELECTOR, "h1 .badge").text
    browser.save_screenshot(str(screenshots / "72-resettlement-arrived.png"))
