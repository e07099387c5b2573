"""Which browser on which system a User-Agent string names, through ua-parser (the maintained
port of Browserscope's rules), for the signed-in browsers page."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _
from ua_parser import parse

# Headless Chrome is Chrome to its reader; "Other" is ua-parser's word for "no idea".
RENAMED = {"HeadlessChrome": "Chrome", "Chrome Mobile": "Chrome", "Firefox Mobile": "Firefox",
           "Mobile Safari": "Safari"}
UNKNOWN = "Other"


@lru_cache(maxsize=1024)
def browser_and_system(user_agent: str) -> tuple[str | None, str | None]:
    """("Firefox", "Linux") for a Firefox on Linux; None for what the string does not say."""
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    system = result.os.family if result.os else None
    return (RENAMED.get(browser, browser) if browser != UNKNOWN else None,
            system if system != UNKNOWN else None)


def browser_name(user_agent: str | None) -> str:
    """"Firefox on Linux", "Safari on iOS", "Firefox", or "Unknown browser", in the reader's
    language."""
    browser, system = browser_and_system(user_agent) if user_agent else (None, None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or _("Unknown browser")
