"""The movements team books a flight, re-books it, works the hub manifest; an administrator subscribes a partner."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_person_workflow import click_and_wait, sign_in
from test_return_workflow import set_date, submit
from office import office_today


def day(offset):
    return (office_today() + datetime.timedelta(days=offset)).isoformat()


def fill_leg(browser, n, carrier, flight, origin, destination, departs, arrives):
    for name, value in (("carrier", carrier), ("flight", flight), ("from", origin), ("to", destination)):
        field = browser.find_element(By.NAME, f"leg{n}_{name}")
        field.clear()
        field.send_keys(value)
    set_date(browser, "form.card", f"leg{n}_departs", departs)
    set_date(browser, "form.card", f"leg{n}_arrives", arrives)


def test_booking_rebooking_and_the_manifest(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "movements", password)
    browser.get(base_url + "/movements")
    assert "Flights in the next 14 days" in browser.page_source
    # A return case: its person has a phone for the SMS. Which flight comes first depends on the time of day
    # (the demo's arrival and transit of today are for persons of other programmes, without a phone).
    click_and_wait(browser, browser.find_element(By.XPATH, "//table//a[starts-with(@href, '/cases/') and starts-with(normalize-space(), 'R-')]"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Book flights"))

    # A wrong airport and an arrival before the departure are named field by field.
    fill_leg(browser, 1, "TU", "791", "AMS", "XQZ", day(20) + "T10:15", day(20) + "T09:00")
    submit(browser, "form.card")
    assert "'XQZ' is not a known IATA airport code" in browser.page_source
    assert "Flight 1: To" in browser.page_source
    browser.save_screenshot(str(screenshots / "30-booking-errors.png"))
    fill_leg(browser, 1, "TU", "791", "AMS", "TUN", day(20) + "T10:15", day(20) + "T12:45")
    Select(browser.find_element(By.NAME, "status")).select_by_value("ticketed")
    browser.find_element(By.NAME, "reference").send_keys("E2E791")
    submit(browser, "form.card")
    assert "/bookings/" in browser.current_url
    assert "E2E791" in browser.page_source and "Ticketed" in browser.page_source
    assert "SMS ticketed" in browser.page_source and "SMS reminder" in browser.page_source
    first = browser.current_url
    browser.save_screenshot(str(screenshots / "31-booking.png"))

    # Re-booking: the old booking is cancelled and points to the new one.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Re-book"))
    fill_leg(browser, 1, "KL", "1565", "AMS", "TUN", day(21) + "T09:05", day(21) + "T11:40")
    ref = browser.find_element(By.NAME, "reference")
    ref.clear()
    ref.send_keys("E2E565")
    submit(browser, "form.card")
    assert "E2E565" in browser.page_source and "re-booking of an earlier booking" in browser.page_source
    assert "SMS rebooked" in browser.page_source
    browser.get(first)
    assert "Cancelled" in browser.page_source and "re-booked as" in browser.page_source

    # The hub manifest: record check-in for today's first departure.
    browser.get(base_url + "/movements/manifest")
    card = browser.find_element(By.CSS_SELECTOR, "article.movement.departure")
    card_id = card.get_attribute("id")
    card.find_element(By.NAME, "checkedIn").click()
    click_and_wait(browser, card.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Check-in done" in browser.find_element(By.ID, card_id).find_element(By.CSS_SELECTOR, "p.done").text
    browser.set_window_size(820, 1180)  # a tablet held upright
    browser.save_screenshot(str(screenshots / "32-manifest-tablet.png"))
    browser.set_window_size(1280, 1000)


def test_an_administrator_subscribes_a_partner(browser, base_url, password, screenshots):
    sign_in(browser, base_url, "admin", password)
    browser.get(base_url + "/admin/webhooks")
    Select(browser.find_element(By.NAME, "partnerID")).select_by_index(1)
    browser.find_element(By.NAME, "url").send_keys("http://partner.example/hooks")
    submit(browser, "form.card")
    assert "must be an https:// address" in browser.page_source
    field = browser.find_element(By.NAME, "url")
    field.clear()
    field.send_keys("https://partner.example/hooks/passage")
    submit(browser, "form.card")
    secret = browser.find_element(By.ID, "secret").text
    assert secret.startswith("whsec_")
    browser.save_screenshot(str(screenshots / "33-webhook-secret.png"))
    browser.get(base_url + "/admin/webhooks")
    assert "https://partner.example/hooks/passage" in browser.page_source
    assert secret not in browser.page_source


def test_the_printed_manifest_fits_a_dozen_passengers_on_an_a4_page(browser, base_url, password):
    """On paper the manifest is a line per passenger: 36 lines, the day's own repeated, take at most 3 A4 pages."""
    import base64
    import re

    sign_in(browser, base_url, "movements", password)
    browser.get(base_url + "/movements/manifest?date=" + day(0))
    lines = browser.execute_script(
        """
        const body = document.querySelector('table.manifest-print tbody');
        if (!body) return 0;
        const rows = [...body.rows];
        while (body.rows.length < 36) rows.forEach(r => body.appendChild(r.cloneNode(true)));
        while (body.rows.length > 36) body.deleteRow(-1);
        return body.rows.length;
        """
    )
    assert lines == 36, "the demo has movements at the hub today"
    pdf = base64.b64decode(
        browser.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"]
    )
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3, f"36 passengers took {pages} A4 pages"
