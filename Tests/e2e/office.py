"""The office's calendar: "today" is the day at the office (PASSAGE_TIME_ZONE, Amsterdam unless set), as the server
counts it, not the day wherever the tests run; late in the evening the two differ."""
import datetime
import os
from zoneinfo import ZoneInfo

ZONE = ZoneInfo(os.environ.get("PASSAGE_TIME_ZONE") or "Europe/Amsterdam")


def office_today():
    return datetime.datetime.now(ZONE).date()


def office_day(offset=0):
    return (office_today() + datetime.timedelta(days=offset)).isoformat()
