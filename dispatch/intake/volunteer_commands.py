"""SMS commands from registered volunteers' phones: the volunteer app for basic phones.

Grammar (whole message; any case, with or without diacritics; `<mã>` is a tracking
code such as `DA-7K3Q9WX`, also typed `DA7K3Q9WX` or `DA 7K3Q9WX`):

    TRUC                      on duty
    NGHI [số ngày]            off duty (for that many days)
    DS                        my open offers and assignments, newest first
    NHAN [<mã>]               accept (without a code: the newest offer to my team)
    TU CHOI [<mã>] [lý do]    decline for myself (the team keeps the offer)
    XONG                      the outcome digits;  XONG [<mã>] <1-5> reports done
    GHI <mã> <nội dung>       a note on the request
    HOC LUA DAO               the scam-awareness quiz, one question per SMS, then A/B/C/D
    GUI [<mã>] <từ khoá>      send the resident a procedure guide (`HD` keywords) by SMS
    TH <mã hộ> <1-4>          a household visit of the running campaign (outreach):
                              1 done, 2 needs follow-up, 3 not at home, 4 refused
    HD / HUONG DAN / GIUP     the list of these commands

A message that starts with one of these words but does not fit its grammar gets the
list of commands, never a guess. Each command calls exactly the service the volunteer
app calls; domain errors become one short SMS. Replies are one GSM-7 segment
(`dispatch.sms.volunteer_replies`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.guides import selectors as guide_selectors
from dispatch.guides import services as guide_services
from dispatch.help_requests import audience
from dispatch.help_requests.codes import LENGTH as CODE_LENGTH
from dispatch.help_requests.codes import clean_code
from dispatch.help_requests.lifecycle import (
    accept_offer,
    add_note,
    decline_offer,
    resolve_request,
)
from dispatch.help_requests.selectors import (
    ASSIGNED_STATUSES,
    latest_assignment_for_volunteer,
    latest_open_offer_for_volunteer,
    open_offers_for_volunteer,
    request_by_code,
)
from dispatch.intake.parsing import Kind, guide_words, parse_sms
from dispatch.models import HelpRequest, Offer, Outcome
from dispatch.outreach import services as outreach
from dispatch.sms import replies as sms_replies
from dispatch.sms import volunteer_replies as say
from dispatch.sms import zalo_links
from dispatch.sms.gateways import zalo
from teams import services as team_services
from teams.models import Volunteer
from teams.phones import national_format
from teams.text import unaccented
from training import quiz
from training.errors import QuizNoAttempt, TrainingError
from training.models import Topic
from training.selectors import certificate_status

SCAM_TOPIC = "scam"
MAX_LEAVE_DAYS = 60

# XONG <mã> <digit>: the digits a basic phone types for each outcome.
OUTCOME_DIGITS = {
    "1": Outcome.SOLVED_REMOTE,
    "2": Outcome.SOLVED_VISIT,
    "3": Outcome.REFERRED_CENTRE,
    "4": Outcome.REFERRED_POLICE,
    "5": Outcome.UNSOLVED,
}


class Verb(StrEnum):
    ON_DUTY = "on_duty"
    OFF_DUTY = "off_duty"
    LIST = "list"
    ACCEPT = "accept"
    DECLINE = "decline"
    DONE = "done"
    NOTE = "note"
    QUIZ = "quiz"
    ANSWER = "answer"
    HELP = "help"
    SEND_GUIDE = "send_guide"
    ZALO = "zalo"
    VISIT = "visit"


@dataclass(frozen=True)
class Command:
    verb: Verb
    code: str = ""
    days: int | None = None
    outcome: str = ""
    text: str = ""
    letter: int | None = None


# Words that open a volunteer command; a message starting with one is never a request.
_COMMAND_WORDS = {
    "truc", "nghi", "ds", "nhan", "tu", "tuchoi", "xong", "ghi", "hoc", "gui",
    "zalo", "th",
}  # fmt: skip
_HOUSEHOLD_CODE = re.compile(r"[0-9a-z][0-9a-z./-]{0,15}")
_HELP = {("hd",), ("huong", "dan"), ("giup",), ("help",), ("?",), ("lenh",)}
_DASHED = re.compile(rf"[a-z]{{1,4}}-[0-9a-z]{{{CODE_LENGTH}}}")
_JOINED = re.compile(rf"[a-z]{{1,4}}[0-9a-z]{{{CODE_LENGTH}}}")
_TAIL = re.compile(rf"[0-9a-z]{{{CODE_LENGTH}}}")


def _tokens(body: str) -> tuple[list[str], list[str]]:
    """The message's words as written and folded (no diacritics, lower case)."""
    written = (body or "").split()
    folded = [unaccented(w).lower().strip(".,;:!") for w in written]
    pairs = [(w, f) for w, f in zip(written, folded, strict=True) if f]
    return [w for w, _f in pairs], [f for _w, f in pairs]


def _take_code(words: list[str], *, required: bool) -> tuple[str, int]:
    """A tracking code at the start of `words` → (stored form, words used)."""
    if not words:
        return "", 0
    first = words[0]
    if _DASHED.fullmatch(first):
        return clean_code(first), 1
    if _JOINED.fullmatch(first) and (required or any(c.isdigit() for c in first)):
        return clean_code(first), 1
    # "DA 7K3Q9WX": a prefix typed apart; the tail needs a digit to not be a word.
    if (
        len(words) > 1
        and first.isalpha()
        and len(first) <= 4
        and _TAIL.fullmatch(words[1])
        and (required or any(c.isdigit() for c in words[1]))
    ):
        return clean_code(first + words[1]), 2
    return "", 0


def parse(body: str) -> Command | None:
    """The volunteer command in `body`, HELP for a malformed one, None for anything else."""
    written, words = _tokens(body)
    if not words:
        return None
    if tuple(words) in _HELP:
        return Command(Verb.HELP)
    if len(words) == 1 and words[0] in ("a", "b", "c", "d"):
        return Command(Verb.ANSWER, letter="abcd".index(words[0]))
    head = words[0]
    if head not in _COMMAND_WORDS:
        return None
    return _parse_command(head, words, written) or Command(Verb.HELP)


def command_for(body: str) -> Command | None:
    """What a registered volunteer's SMS asks: a command, the help list, or None.

    None means "read it as a resident's SMS" (TT, HUY, XM, a rating, or a real request
    of three words or more: volunteers may need help too). A word or two that is no
    command gets the help list rather than becoming a request.
    """
    command = parse(body)
    if command is not None:
        return command
    if guide_words(body):
        return None  # HD <từ khoá>: the guide, as for anyone
    if parse_sms(body).kind == Kind.NEW_REQUEST and len((body or "").split()) <= 2:
        return Command(Verb.HELP)
    return None


def _parse_command(head: str, words: list[str], written: list[str]) -> Command | None:
    rest = words[1:]
    if head == "truc" and not rest:
        return Command(Verb.ON_DUTY)
    if head == "nghi":
        return _parse_leave(rest)
    if head == "ds" and not rest:
        return Command(Verb.LIST)
    if head == "zalo" and not rest:
        return Command(Verb.ZALO)
    if head == "hoc" and rest == ["lua", "dao"]:
        return Command(Verb.QUIZ)
    if head == "nhan":
        code, used = _take_code(rest, required=True)
        return Command(Verb.ACCEPT, code=code) if used == len(rest) else None
    if head == "tuchoi" or (head == "tu" and rest[:1] == ["choi"]):
        skip = 1 if head == "tuchoi" else 2
        code, used = _take_code(words[skip:], required=False)
        reason = " ".join(written[skip + used :])[:300]
        return Command(Verb.DECLINE, code=code, text=reason)
    if head == "xong":
        return _parse_done(rest)
    if head == "gui":
        code, used = _take_code(rest, required=False)
        keyword = " ".join(rest[used:])
        return Command(Verb.SEND_GUIDE, code=code, text=keyword) if keyword else None
    if head == "th":
        return _parse_visit(rest)
    if head == "ghi":
        code, used = _take_code(rest, required=True)
        text = " ".join(written[1 + used :])
        return Command(Verb.NOTE, code=code, text=text) if code and text else None
    return None


def _parse_visit(rest: list[str]) -> Command:
    """TH <household code> <digit>; anything else gets the digits' menu."""
    if (
        len(rest) == 2
        and _HOUSEHOLD_CODE.fullmatch(rest[0])
        and rest[1] in outreach.OUTCOME_DIGITS
    ):
        return Command(
            Verb.VISIT,
            code=rest[0].replace(".", "-").replace("/", "-"),
            outcome=rest[1],
        )
    return Command(Verb.VISIT)


def _parse_leave(rest: list[str]) -> Command | None:
    if not rest:
        return Command(Verb.OFF_DUTY)
    if rest[0].isdigit() and rest[1:] in ([], ["ngay"]):
        days = int(rest[0])
        if 1 <= days <= MAX_LEAVE_DAYS:
            return Command(Verb.OFF_DUTY, days=days)
    return None


def _parse_done(rest: list[str]) -> Command | None:
    code, used = _take_code(rest, required=True)
    if len(rest) > 1 and not code:
        return None
    digits = rest[used:]
    if not digits:
        return Command(Verb.DONE, code=code)
    if len(digits) == 1 and digits[0] in OUTCOME_DIGITS:
        return Command(Verb.DONE, code=code, outcome=OUTCOME_DIGITS[digits[0]])
    return None


def run(command: Command, *, volunteer: Volunteer) -> str:
    """Carry out one command for `volunteer`; the reply SMS (errors included)."""
    try:
        with transaction.atomic():
            return _HANDLERS[command.verb](command, volunteer)
    except DispatchError as exc:
        return say.refused(reason=exc.message)
    except QuizNoAttempt:
        return say.quiz_not_started()
    except TrainingError as exc:
        return say.refused(reason=str(exc.message))


def _help(command: Command, volunteer: Volunteer) -> str:
    return say.usage()


def _on_duty(command: Command, volunteer: Volunteer) -> str:
    team_services.set_on_duty(volunteers=[volunteer], on_duty=True, user=volunteer.user)
    return say.on_duty()


def _off_duty(command: Command, volunteer: Volunteer) -> str:
    until = team_services.take_leave(
        volunteer=volunteer, days=command.days, user=volunteer.user
    )
    if until is not None:
        # "Nghỉ đến hết" names the last day off, not the midnight it ends.
        until -= timedelta(seconds=1)
    return say.off_duty(until=until)


def _village(request: HelpRequest) -> str:
    return request.village.name if request.village is not None else "-"


def _list(command: Command, volunteer: Volunteer) -> str:
    offers = [
        (o.offered_at, say.offer_item(code=o.request.code, village=_village(o.request)))
        for o in open_offers_for_volunteer(volunteer).select_related(
            "team", "request__village"
        )
        if audience.may_see(volunteer=volunteer, request=o.request, team=o.team)
    ]
    mine = HelpRequest.objects.filter(
        assigned_volunteer=volunteer, status__in=ASSIGNED_STATUSES
    ).select_related("village")
    assignments = [
        (
            r.accepted_at,
            say.assignment_item(
                code=r.code,
                status=str(r.get_status_display()),
                village=_village(r),
            ),
        )
        for r in mine
    ]
    oldest = timezone.now() - timedelta(days=3650)
    items = sorted(
        offers + assignments, key=lambda pair: pair[0] or oldest, reverse=True
    )
    return say.work_list([text for _at, text in items])


def _offer(command: Command, volunteer: Volunteer) -> Offer | None:
    if not command.code:
        return latest_open_offer_for_volunteer(volunteer)
    request = request_by_code(command.code)
    if request is None:
        return None
    # The newest offer of that request, whatever its state: the service decides
    # whether it is still open, expired or not for this team, and says so.
    return request.offers.order_by("-round").first()


def _accept(command: Command, volunteer: Volunteer) -> str:
    offer = _offer(command, volunteer)
    if offer is None:
        return say.not_found(code=command.code) if command.code else say.no_offer()
    request = accept_offer(offer=offer, volunteer=volunteer)
    return say.accepted(
        code=request.code,
        phone=national_format(request.resident_phone) if request.resident_phone else "",
        village=_village(request),
    )


def _decline(command: Command, volunteer: Volunteer) -> str:
    offer = _offer(command, volunteer)
    if offer is None:
        return say.not_found(code=command.code) if command.code else say.no_offer()
    decline_offer(offer=offer, volunteer=volunteer, reason=command.text)
    offer.refresh_from_db()
    return say.declined(
        code=offer.request.code, moved_on=offer.state != Offer.State.OPEN
    )


def _assignment(command: Command, volunteer: Volunteer) -> HelpRequest | None:
    if command.code:
        return request_by_code(command.code)
    return latest_assignment_for_volunteer(volunteer)


def _done(command: Command, volunteer: Volunteer) -> str:
    request = _assignment(command, volunteer)
    if not command.outcome:
        return say.outcome_menu(code=request.code if request else "")
    if request is None:
        return say.not_found(code=command.code) if command.code else say.no_assignment()
    request = resolve_request(
        request=request, outcome=command.outcome, volunteer=volunteer
    )
    return say.done(code=request.code, outcome=str(request.get_outcome_display()))


def _note(command: Command, volunteer: Volunteer) -> str:
    request = request_by_code(command.code)
    if request is None:
        return say.not_found(code=command.code)
    add_note(request=request, text=command.text, volunteer=volunteer)
    return say.noted(code=request.code)


def _send_guide(command: Command, volunteer: Volunteer) -> str:
    request = _assignment(command, volunteer)
    if request is None:
        return say.not_found(code=command.code) if command.code else say.no_assignment()
    request = permissions.access_request(volunteer=volunteer, request_id=request.pk)
    guide = guide_selectors.guide_for_keyword(command.text)
    if guide is None:
        return say.guide_unknown(keywords=guide_selectors.keywords())
    guide_services.send_to_resident(request=request, guide=guide, volunteer=volunteer)
    return say.guide_sent(code=request.code, keyword=guide.keyword)


def _visit(command: Command, volunteer: Volunteer) -> str:
    if not command.code:
        return say.visit_menu()
    visit, campaign = outreach.record_visit_by_sms(
        volunteer=volunteer, household_code=command.code, digit=command.outcome
    )
    return say.visit_recorded(
        code=visit.household.code,
        outcome=str(visit.get_outcome_display()),
        campaign=campaign.title,
    )


def _scam_topic() -> Topic:
    return Topic.objects.get(key=SCAM_TOPIC, requires_quiz=True, active=True)


def _quiz(command: Command, volunteer: Volunteer) -> str:
    return _quiz_reply(quiz.next_question(volunteer=volunteer, topic=_scam_topic()))


def _answer(command: Command, volunteer: Volunteer) -> str:
    step = quiz.answer_next_question(
        volunteer=volunteer, topic=_scam_topic(), position=command.letter or 0
    )
    return _quiz_reply(step)


def _quiz_reply(step: quiz.QuizStep) -> str:
    if step.question is not None:
        return say.quiz_question(
            number=step.question.number,
            total=step.total,
            text=step.question.text,
            choices=step.question.choices,
        )
    attempt = step.attempt
    if not attempt.passed:
        left = quiz.attempts_left_today(
            volunteer=attempt.volunteer, topic=attempt.topic
        )
        return say.quiz_failed(score=attempt.score or 0, total=step.total, left=left)
    certificate = step.certificates[0] if step.certificates else None
    return say.quiz_passed(
        score=attempt.score or 0,
        total=step.total,
        certificate=certificate.grouped_code if certificate else "",
        expires=certificate.expires_at if certificate else None,
    )


def _zalo(command: Command, volunteer: Volunteer) -> str:
    """ZALO: the code to send to the commune's OA as `LK <code>` (also shown on /v/)."""
    url = zalo.follow_url(volunteer.team.commune)
    if not url:
        return gettext("Xã chưa dùng Zalo OA.")
    code = zalo_links.issue_link_code(volunteer=volunteer).code
    return gettext(
        "Mã liên kết Zalo: %(code)s (dùng trong 30 phút). Quan tâm %(url)s rồi nhắn: "
        "LK %(code)s"
    ) % {"code": code, "url": url}


_HANDLERS = {
    Verb.HELP: _help,
    Verb.ON_DUTY: _on_duty,
    Verb.OFF_DUTY: _off_duty,
    Verb.LIST: _list,
    Verb.ACCEPT: _accept,
    Verb.DECLINE: _decline,
    Verb.DONE: _done,
    Verb.NOTE: _note,
    Verb.QUIZ: _quiz,
    Verb.ANSWER: _answer,
    Verb.SEND_GUIDE: _send_guide,
    Verb.ZALO: _zalo,
    Verb.VISIT: _visit,
}


def certificate_reply(code: str) -> str:
    """XM <code>: whether a volunteer's certificate is valid, from training's selector."""
    if not code:
        return sms_replies.certificate_unavailable(code=code)
    found = certificate_status(code)
    if found is None:
        return sms_replies.certificate_unknown(code=code)
    return sms_replies.certificate(
        code=found.code,
        state=found.status_label,
        holder=found.holder_initials,
        topic=found.topic,
        expires=found.expires_at,
    )
