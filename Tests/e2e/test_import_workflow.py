"""Importing an office's records: a manager uploads files with a wrong row, reads which file, line and column, sends
the corrected file, imports it, and finds the imported person with the case's history on its own dates."""
import pathlib
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_person_workflow import click_and_wait, sign_in


def write_files(folder, tag, session_day):
    family = "Qasimi" + name_part(tag)
    files = {
        "persons.csv": "ref,familyName,givenNames,sex,dateOfBirth,nationality,location\n"
        f"{tag}-P1,{family},Layla,F,1991-05-04,IQ,AZC Budel\n"
        f"{tag}-P2,{family},Omar,M,2014-02-30,IQ,AZC Budel\n",
        "return_cases.csv": "ref,personRef,openedOn,referralSource,destinationCountry,destinationPlace,stage,departedOn\n"
        f"{tag}-C1,{tag}-P1,2025-02-01,self,IQ,Erbil,departed,2025-06-10\n",
        "sessions.csv": "ref,caseRef,heldOn,location,language,durationMinutes,outcome\n"
        f"{tag}-S1,{tag}-C1,{session_day},AZC Budel,ar,45,decided_to_return\n",
    }
    paths = []
    for name, text in files.items():
        path = pathlib.Path(folder) / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def name_part(tag):
    """Letters for the tag's last digits: a family name of its own for each run."""
    return "".join("abcdefghij"[int(d)] for d in tag[-4:])


def wait_until_settled(browser):
    WebDriverWait(browser, 60).until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, "#import-state[data-poll]")
        or "progress" not in b.find_element(By.ID, "import-state").get_attribute("innerHTML"))


def test_manager_imports_a_year_after_a_dry_run(browser, base_url, password, screenshots, axe):
    sign_in(browser, base_url, "counsellor", password)
    browser.get(base_url + "/imports")
    assert "Your role does not allow this" in browser.page_source or "403" in browser.title
    browser.delete_all_cookies()

    sign_in(browser, base_url, "manager", password)
    browser.get(base_url + "/imports")
    axe.check(browser, "imports")
    browser.save_screenshot(str(screenshots / "im-01-page.png"))
    tag = f"E2E{int(time.time()) % 10**7}"
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(folder, tag, "2025-03-03")
        browser.find_element(By.ID, "f-files").send_keys("\n".join(paths))
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"))
        wait_until_settled(browser)
        text = browser.find_element(By.ID, "import-state").text
        # The child's birth day does not exist: file, line and column are named, and nothing was written.
        assert "persons.csv" in text and "dateOfBirth" in text, text
        assert "1 of 4 rows are refused" in text, text
        axe.check(browser, "import report")
        browser.save_screenshot(str(screenshots / "im-02-refused.png"))

        browser.get(base_url + "/imports")
        fixed = pathlib.Path(folder) / "persons.csv"
        fixed.write_text(fixed.read_text().replace("2014-02-30", "2014-02-28"), encoding="utf-8")
        browser.find_element(By.ID, "f-files").send_keys("\n".join(paths))
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"))
        wait_until_settled(browser)
        assert "All 4 rows passed the checks" in browser.find_element(By.ID, "import-state").text
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#import-state form button[type=submit]"))
        wait_until_settled(browser)
        WebDriverWait(browser, 60).until(EC.text_to_be_present_in_element((By.ID, "import-state"), "Imported: 4 rows"))
        browser.save_screenshot(str(screenshots / "im-03-imported.png"))

    browser.get(base_url + f"/persons?name=Qasimi{name_part(tag)}")
    assert "Layla" in browser.page_source and "Omar" in browser.page_source
    browser.find_element(By.PARTIAL_LINK_TEXT, "Layla").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    browser.find_element(By.PARTIAL_LINK_TEXT, "R-2025-").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    page = browser.page_source
    assert "2025-03-03" in page, page[:2000]
    browser.save_screenshot(str(screenshots / "im-04-case.png"))
