"""Every sentence the status page's pages show, in both languages.

The pages are static files with a little JavaScript; their sentences are msgids here,
translated with the core's catalogue (``assets/locale/id/status_page.po``) and handed to
the page as one JSON object per language. The page only fills ``{placeholders}`` in;
it never glues fragments together.
"""

from __future__ import annotations

from datetime import date

from shared.clock import MONTH_NAMES
from shared.i18n import LANGUAGES, N_, translate

PAGE_TEXTS: dict[str, str] = {
    # The ticket's page.
    "ticket_title": N_("Your queue number"),
    "priority": N_("Priority service"),
    "position": N_("Your place in the queue: {n}"),
    "ahead_none": N_("People ahead of you: none"),
    "ahead": N_("People ahead of you: {n}"),
    "estimate": N_("Estimated wait: about {n} min"),
    "no_counter": N_("No counter is open for this service yet: you are called once one opens."),
    "deadline": N_("You will be called by {time} at the latest."),
    "promise": N_(
        "You will be called at most {minutes} minutes after the visitor before you has finished."
    ),
    "keep_open": N_(
        "Keep this page open: it updates by itself, and where your phone allows it, it"
        " vibrates when you are called."
    ),
    "called": N_("Please come to {counter}"),
    "called_again": N_("You are being called again."),
    "serving": N_("You are being served at {counter}."),
    "done": N_("Your visit is finished. Thank you for coming!"),
    "rate_link": N_("Rate our service"),
    "rated": N_("Thank you for rating our service."),
    "no_show": N_("You were called to {counter} but were not there."),
    "no_show_back": N_(
        "Please see an officer at the service desk before {time}: you can be put back in the queue."
    ),
    "no_show_late": N_("Please see an officer at the service desk."),
    "transferred": N_("You were sent on to {service} with the new number {number}."),
    "unserved": N_("The service day closed before you were called. We apologise."),
    "past": N_("This ticket was for {date}."),
    "past_hint": N_("For a visit today, please take a new number at the kiosk."),
    "unavailable": N_("Information is temporarily unavailable. This page tries again by itself."),
    "offline": N_("No connection to the office network. Is your phone still on the office Wi-Fi?"),
    "not_found": N_(
        "This ticket was not found. Check the address, or scan the QR code on your ticket again."
    ),
    "too_many": N_(
        "Too many wrong ticket addresses came from this device. Please wait a minute and try again."
    ),
    "updated": N_("Updated {time}"),
    "wifi": N_("Office Wi-Fi: {name}"),
    # Rating at the kiosk, with the code already known.
    "rate_title": N_("Rate our service at the kiosk"),
    "rate_step_1": N_("On the kiosk, tap “Rate Our Service”."),
    "rate_step_2": N_("Hold this code under the kiosk's scanner, or type the ticket code:"),
    "rate_back": N_("Back to your ticket"),
    # The waiting-room board.
    "board_title": N_("Queue board"),
    "now_calling": N_("Now calling"),
    "please_wait": N_("Please wait for your number"),
    "previous_calls": N_("Previous calls"),
    "counters": N_("Counters"),
    "next_numbers": N_("Next numbers"),
    "waiting": N_("Waiting: {n}"),
    "status_open": N_("Open"),
    "status_paused": N_("Paused"),
    "status_closed": N_("Closed"),
    "calling": N_("Calling"),
    "serving_short": N_("Serving"),
}

# Sentences of the pages the server writes itself (no JavaScript needed to read them).
NOT_FOUND = PAGE_TEXTS["not_found"]
TOO_MANY = PAGE_TEXTS["too_many"]
NOT_ALLOWED = N_("This page can only be read.")
BAD_REQUEST = N_("This request is not understood.")
INTERNAL = N_("Something went wrong on the status page. Please try again shortly.")
PAGE_MISSING = N_("There is no such page.")


def page_texts(language: str) -> dict[str, str]:
    """The page's sentences in ``language``, placeholders left for the page to fill."""
    return {key: translate(msgid, language) for key, msgid in PAGE_TEXTS.items()}


def all_page_texts() -> dict[str, dict[str, str]]:
    return {language: page_texts(language) for language in LANGUAGES}


def long_date(day: str, language: str) -> str:
    """A service day as people write it: ``3 Desember 2026`` / ``3 December 2026``."""
    when = date.fromisoformat(day)
    return f"{when.day} {translate(MONTH_NAMES[when.month - 1], language)} {when.year}"
