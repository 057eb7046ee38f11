"""WebSocket consumers: authenticate, join the right groups, forward pushes. No rules here.

Both consumers speak the same protocol (docs/ARCHITECTURE.md, "Live messages"): every message is JSON with a
`type` and an `event_id`. On connect the client gets a `hello` snapshot; a client that
reconnects with `?event_id=N` also gets every event after N it may see. Actions come in
as `{"action": ..., "ref": ...}` and are answered with `result` or a typed `error`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from dispatch import permissions
from dispatch.errors import BadAction, DispatchError, NotAllowed
from dispatch.guides import selectors as guide_selectors
from dispatch.guides import services as guide_services
from dispatch.help_requests import (
    events,
    lifecycle,
    management,
    picker,
    selectors,
    visits,
)
from dispatch.live import board as live_board
from dispatch.live import heartbeat, queued_actions, screens, sessions
from dispatch.models import CancelReason
from dispatch.push import broadcast, layer, presence
from teams.models import Volunteer

# Application close code (4000-4999) meaning "not allowed", like HTTP 403.
CLOSE_FORBIDDEN = 4403
SEEN_EVENTS = 1000
MAX_TEXT = 2000


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Shared plumbing: groups, de-duplication of pushes, resuming, typed errors."""

    groups_joined: list[str]
    # Actions answered before the handlers (no service call); see `action_handlers`.
    builtin_actions: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups_joined = []
        # A client is in several groups (team, own, board): the same event can arrive
        # twice, and a replayed event can also arrive live. Each reaches it once.
        # Made with the first event (an idle socket holds no buffer).
        self.seen: deque[int] | None = None

    async def join(self, *groups: str) -> None:
        """Join every group at once (one Redis round trip, dispatch/push/layer.py).
        Counted as joined before Redis answers, so that a failed join is still left."""
        self.groups_joined.extend(g for g in groups if g not in self.groups_joined)
        await layer.join(self.channel_layer, ((g, self.channel_name) for g in groups))

    def join_from_thread(self, loop: asyncio.AbstractEventLoop, *groups: str) -> None:
        """`join`, called from the database thread: straight to Redis from here where
        the layer can (one round trip, no hand-over to the event loop), else on the
        loop, waiting for it."""
        self.groups_joined.extend(g for g in groups if g not in self.groups_joined)
        pairs = [(g, self.channel_name) for g in groups]
        if not layer.join_blocking(self.channel_layer, pairs):
            asyncio.run_coroutine_threadsafe(self.join(*groups), loop).result()

    async def leave(self, *groups: str) -> None:
        for group in groups:
            if group in self.groups_joined:
                self.groups_joined.remove(group)
        await asyncio.gather(
            *(self.channel_layer.group_discard(g, self.channel_name) for g in groups)
        )

    async def disconnect(self, code: int) -> None:
        await self.leave(*self.groups_joined)

    async def refuse(self) -> None:
        # Accept first so the browser sees our close code instead of a bare 403.
        await self.accept()
        await self.close(code=CLOSE_FORBIDDEN)

    def requested_int(self, name: str) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get(name) or [""])[0]
        return int(value) if value.isdigit() else None

    def first_time(self, message: dict[str, Any]) -> bool:
        event_id = message.get("event_id")
        if event_id is None:
            return True
        if self.seen is None:
            self.seen = deque(maxlen=SEEN_EVENTS)
        elif event_id in self.seen:
            return False
        self.seen.append(event_id)
        return True

    async def send_replay(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            if self.first_time(message):
                await self.send_json(message)
                await self.after_push(message)

    async def live_event(self, event: dict[str, Any]) -> None:
        message = event["message"]
        if self.first_time(message):
            await self.send_json(message)
            await self.after_push(message)

    async def after_push(self, message: dict[str, Any]) -> None:
        """Hook: what else a client gets after a push (the volunteer's details)."""

    def action_handlers(self) -> dict[str, Callable[..., Any]]:
        """Every action this consumer accepts (the permission matrix reads it too)."""
        return {}

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs
    ) -> None:
        # Anything that is not a JSON text frame gets a typed error, not a crash.
        try:
            content = await self.decode_json(text_data) if text_data else None
        except ValueError:
            content = None
        if content is None:
            await self.send_error(
                None, None, "bad_json", gettext("Tin nhắn không hợp lệ.")
            )
            return
        await self.receive_json(content, **kwargs)

    async def run_action(
        self, content: dict[str, Any], handlers: dict[str, Callable[..., Any]]
    ) -> None:
        await self.send_json(await self.answer_action(content, handlers))

    async def answer_action(
        self, content: dict[str, Any], handlers: dict[str, Callable[..., Any]]
    ) -> dict[str, Any]:
        """Run one action's handler; its `result` or typed `error` message."""
        action = content.get("action") if isinstance(content, dict) else None
        ref = content.get("ref") if isinstance(content, dict) else None
        handler = handlers.get(action) if isinstance(action, str) else None
        if handler is None:
            return error_message(
                action, ref, "bad_action", gettext("Thao tác không hợp lệ.")
            )
        try:
            data = await database_sync_to_async(handler)(content)
        except DispatchError as error:
            return error_message(action, ref, error.code, error.message)
        return {
            "type": "result",
            "event_id": None,
            "action": action,
            "ref": ref,
            **data,
        }

    async def send_error(self, action: Any, ref: Any, code: str, message: str) -> None:
        await self.send_json(error_message(action, ref, code, message))


class VolunteerConsumer(LiveConsumer):
    """One volunteer's phone or tab: their team's offers and their own assignments.

    An idle socket holds only ids (the volunteer, their team); the rare paths that need
    the volunteer (an action, a push about an assignment) read it fresh.
    """

    volunteer_id = 0  # set once the session signs a volunteer in
    team_id = 0
    builtin_actions = ("resume", "ping")

    async def connect(self) -> None:
        """Cheap enough for a reconnect storm: one call on the database thread reads
        the session and the volunteer (one query each), joins both groups (one Redis
        round trip), takes the snapshot (one query when there is nothing to list) and,
        for a client that resumes with `?event_id=`, what it missed. Presence (batched,
        in Redis) and the access log (when the snapshot shows a resident's details)
        are written after the hello, so neither holds the socket or the database
        thread up."""
        # Accepted first (a refusal is a close with our code either way): the
        # handshake of a phone in a reconnect storm does not wait for the database
        # thread's queue, only its hello does. The client sends nothing that is read
        # before this method returns.
        await self.accept()
        opened = await database_sync_to_async(self._open)(
            asyncio.get_running_loop(), self.requested_int("event_id")
        )
        if opened is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        volunteer, state, missed, viewed = opened
        await self.send_json(state)
        heartbeat.heartbeat().watch(self)
        await self.send_replay(missed)
        if viewed:
            await database_sync_to_async(screens.log_assignment_views)(
                volunteer=volunteer, requests=viewed
            )

    def _open(
        self, loop: asyncio.AbstractEventLoop, since: int | None
    ) -> tuple[Volunteer, dict[str, Any], list[dict[str, Any]], list[Any]] | None:
        """The volunteer, their snapshot, what they missed since `since` and the
        assignments the snapshot shows; None when the session signs in no volunteer."""
        volunteer = self._signed_in_volunteer()
        if volunteer is None:
            return None
        self.volunteer_id, self.team_id = volunteer.pk, volunteer.team_id
        # Join before taking the snapshot: a change in between arrives live, not lost.
        self.join_from_thread(
            loop,
            broadcast.team_group(volunteer.team_id),
            broadcast.volunteer_group(volunteer.pk),
        )
        viewed: list[Any] = []
        state = screens.volunteer_state(volunteer, viewed=viewed)
        state["labels"] = screens.labels()
        missed = self._replay(since, volunteer) if since is not None else []
        return volunteer, state, missed, viewed

    def _signed_in_volunteer(self) -> Volunteer | None:
        """From the session (the deployed route: no user lookup of its own), or from
        a user an outer middleware already resolved."""
        user = self.scope.get("user")
        if user is not None:
            return permissions.volunteer_for_user(user)
        session = sessions.session_data(self.scope)
        return (
            permissions.volunteer_for_session(session) if session is not None else None
        )

    async def disconnect(self, code: int) -> None:
        if self.volunteer_id:  # it was a volunteer's socket (not a refused one)
            await heartbeat.stop(self)
            await heartbeat.off_the_database_thread(presence.mark_offline)(
                volunteer_id=self.volunteer_id, connection=self.channel_name
            )
        await super().disconnect(code)

    async def resume(self, since: int) -> None:
        messages = await database_sync_to_async(self._replay)(since)
        await self.send_replay(messages)

    def _replay(
        self, since: int, volunteer: Volunteer | None = None
    ) -> list[dict[str, Any]]:
        volunteer = volunteer or self._fresh()
        return screens.replay(screens.volunteer_events_after(volunteer, since))

    async def after_push(self, message: dict[str, Any]) -> None:
        if message.get("volunteer_id") is None:
            return
        card = await database_sync_to_async(self._assignment_for)(message)
        if card is not None:
            await self.send_json(
                {
                    "type": "assignment",
                    "event_id": message.get("event_id"),
                    "assignment": card,
                }
            )

    def _assignment_for(self, message: dict[str, Any]) -> dict[str, Any] | None:
        return screens.assignment_for_message(volunteer=self._fresh(), message=message)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("action") == "resume":
            since = content.get("event_id")
            if isinstance(since, int) and not isinstance(since, bool):
                await self.resume(since)
            return
        if isinstance(content, dict) and content.get("action") == "ping":
            heartbeat.heartbeat().touch(self)
            await self.send_json({"type": "pong", "event_id": None})
            return
        await self.run_action(content, self.action_handlers())

    def action_handlers(self) -> dict[str, Callable[..., Any]]:
        return {
            "accept": self._accept,
            "decline": self._decline,
            "start": self._start,
            "resolve": self._resolve,
            "note": self._note,
            "duty": self._duty,
            "visit": self._visit,
            "guide": self._guide,
        }

    async def run_action(
        self, content: dict[str, Any], handlers: dict[str, Callable[..., Any]]
    ) -> None:
        """An action with an `action_id` (queued offline, maybe sent twice) runs once;
        a repeat gets the first answer back, marked `repeated`."""
        action_id = content.get("action_id") if isinstance(content, dict) else None
        if not queued_actions.valid_id(action_id):
            await super().run_action(content, handlers)
            return
        remembered = await database_sync_to_async(queued_actions.answer_for)(
            volunteer_id=self.volunteer_id, action_id=action_id
        )
        if remembered is not None:
            await self.send_json({**remembered, "repeated": True})
            return
        answer = {**await self.answer_action(content, handlers), "action_id": action_id}
        answer = await database_sync_to_async(queued_actions.remember)(
            volunteer_id=self.volunteer_id,
            action_id=action_id,
            action=str(content.get("action"))[:16],
            answer=answer,
        )
        await self.send_json(answer)

    # Each handler: fetch with permission, call the one service, say what happened.

    def _fresh(self) -> Volunteer:
        return Volunteer.objects.select_related("user", "team").get(
            pk=self.volunteer_id
        )

    def _accept(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        offer = permissions.access_offer(
            volunteer=volunteer, offer_id=content.get("offer_id")
        )
        request = lifecycle.accept_offer(offer=offer, volunteer=volunteer)
        return {"assignment": screens.assignment_card(request, viewer=volunteer)}

    def _decline(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        offer = permissions.access_offer(
            volunteer=volunteer, offer_id=content.get("offer_id")
        )
        reason = _text(content.get("reason"))[:300]
        lifecycle.decline_offer(
            offer=offer,
            volunteer=volunteer,
            reason=reason,
            for_team=content.get("for_team") is True,
        )
        return {"offer_id": offer.pk}

    def _start(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        request = permissions.access_request(
            volunteer=volunteer, request_id=content.get("request_id")
        )
        request = lifecycle.start_request(request=request, volunteer=volunteer)
        return {"assignment": screens.assignment_card(request, viewer=volunteer)}

    def _resolve(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        request = permissions.access_request(
            volunteer=volunteer, request_id=content.get("request_id")
        )
        request = lifecycle.resolve_request(
            request=request,
            outcome=_text(content.get("outcome")),
            volunteer=volunteer,
            note=_text(content.get("note"))[:MAX_TEXT],
        )
        return {"request_id": request.pk, "status": request.status}

    def _note(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        request = permissions.access_request(
            volunteer=volunteer, request_id=content.get("request_id")
        )
        text = _text(content.get("text")).strip()
        if not text:
            raise BadAction(gettext("Ghi chú đang trống."))
        lifecycle.add_note(request=request, text=text[:MAX_TEXT], volunteer=volunteer)
        return {"request_id": request.pk}

    def _visit(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        request = permissions.access_request(
            volunteer=volunteer, request_id=content.get("request_id")
        )
        at = parse_datetime(_text(content.get("at")))
        if at is None:
            raise BadAction(gettext("Hãy chọn ngày và giờ đến nhà."))
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        request = visits.schedule_visit(request=request, volunteer=volunteer, at=at)
        return {"assignment": screens.assignment_card(request, viewer=volunteer)}

    def _guide(self, content: dict[str, Any]) -> dict[str, Any]:
        volunteer = self._fresh()
        request = permissions.access_request(
            volunteer=volunteer, request_id=content.get("request_id")
        )
        guide = guide_selectors.guide_by_slug(_text(content.get("guide")))
        if guide is None:
            raise BadAction(gettext("Không có hướng dẫn này."))
        guide_services.send_to_resident(
            request=request, guide=guide, volunteer=volunteer
        )
        return {
            "assignment": screens.assignment_card(request, viewer=volunteer),
            "guide": guide.title_vi,
        }

    def _duty(self, content: dict[str, Any]) -> dict[str, Any]:
        on_duty = content.get("on_duty")
        if not isinstance(on_duty, bool):
            raise BadAction()
        volunteer = screens.set_on_duty(volunteer=self._fresh(), on_duty=on_duty)
        return {"on_duty": volunteer.on_duty}


class BoardConsumer(LiveConsumer):
    """The live board of one commune, for its operators and secretaries."""

    commune_id: int | None = None

    async def connect(self) -> None:
        commune_id = await database_sync_to_async(permissions.board_commune_id)(
            user=self.scope["user"], requested=self.requested_int("commune")
        )
        if commune_id is None:
            await self.refuse()
            return
        self.commune_id = commune_id
        await self.join(broadcast.board_group(commune_id))
        await self.accept()
        state = await database_sync_to_async(live_board.board_state)(
            commune_id=commune_id, user=self.scope["user"]
        )
        state["labels"] = await database_sync_to_async(screens.labels)()
        await self.send_json(state)
        since = self.requested_int("event_id")
        if since is not None:
            messages = await database_sync_to_async(self._replay)(since)
            await self.send_replay(messages)

    def _replay(self, since: int) -> list[dict[str, Any]]:
        events = live_board.board_events_after(
            commune_id=self.commune_id, event_id=since
        )
        return screens.replay(events)

    def _assignment_for(self, message: dict[str, Any]) -> dict[str, Any] | None:
        return screens.assignment_for_message(volunteer=self._fresh(), message=message)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.run_action(content, self.action_handlers())

    def action_handlers(self) -> dict[str, Callable[..., Any]]:
        return {
            "picks": self._picks,
            "assign": self._assign,
            "edit": self._edit,
            "note": self._note,
            "cancel": self._cancel,
            "merge": self._merge,
            "resolve": self._resolve,
            "reopen": self._reopen,
            "escalate": self._escalate,
            "place": self._place,
        }

    def _secretary(self) -> Any:
        user = self.scope["user"]
        if not permissions.may_reassign(user):
            raise NotAllowed(gettext("Chỉ thư ký xã được giao lại hoặc chuyển xã."))
        return user

    def _request(self, content: dict[str, Any], *, manage: bool) -> Any:
        """The board's request named in `content`, if this user may act on it: office
        staff correct and note, secretaries manage (dispatch/permissions.py)."""
        request = permissions.access_board_request(
            commune_id=self.commune_id, request_id=content.get("request_id")
        )
        rule = (
            permissions.may_manage_request
            if manage
            else permissions.may_correct_request
        )
        if not rule(user=self.scope["user"], request=request):
            raise NotAllowed(gettext("Chỉ thư ký xã được làm việc này."))
        return request

    def _by_code(self, value: Any) -> Any:
        """Another request of the board's commune, by its tracking code."""
        found = selectors.request_by_code(_text(value))
        return permissions.access_board_request(
            commune_id=self.commune_id, request_id=found.pk if found else None
        )

    @staticmethod
    def _done(request: Any) -> dict[str, Any]:
        return {
            "request_id": request.pk,
            "code": request.code,
            "status": request.status,
        }

    def _picks(self, content: dict[str, Any]) -> dict[str, Any]:
        """The searchable assign picker: who may take it, best first (no change)."""
        request = self._request(content, manage=True)
        query = _text(content.get("q"))[:80]
        picks = picker.assign_picks(request=request, query=query)
        return {
            "request_id": request.pk,
            "q": query,
            "picks": live_board.pick_rows(picks),
        }

    def _assign(self, content: dict[str, Any]) -> dict[str, Any]:
        request = self._request(content, manage=True)
        team = volunteer = None
        if content.get("volunteer_id"):
            volunteer = permissions.access_board_volunteer(
                commune_id=self.commune_id, volunteer_id=content["volunteer_id"]
            )
        elif content.get("team_id"):
            team = permissions.access_board_team(
                commune_id=self.commune_id, team_id=content["team_id"]
            )
        else:
            raise BadAction(gettext("Hãy chọn tổ hoặc tình nguyện viên."))
        request = management.assign_request(
            request=request, user=self.scope["user"], team=team, volunteer=volunteer
        )
        return self._done(request)

    def _edit(self, content: dict[str, Any]) -> dict[str, Any]:
        request = self._request(content, manage=False)
        village = None
        if content.get("village_id"):
            village = permissions.access_board_village(
                commune_id=self.commune_id, village_id=content["village_id"]
            )
        priority = content.get("priority")
        request = management.edit_request(
            request=request,
            user=self.scope["user"],
            category=_text(content.get("category")) or None,
            priority=priority if isinstance(priority, int) else None,
            village=village,
        )
        return self._done(request)

    def _note(self, content: dict[str, Any]) -> dict[str, Any]:
        request = self._request(content, manage=False)
        text = _text(content.get("text")).strip()
        if not text:
            raise BadAction(gettext("Ghi chú đang trống."))
        lifecycle.add_note(
            request=request, text=text[:MAX_TEXT], user=self.scope["user"]
        )
        return self._done(request)

    def _cancel(self, content: dict[str, Any]) -> dict[str, Any]:
        request = self._request(content, manage=True)
        reason = _text(content.get("reason"))
        duplicate_of = None
        if reason == CancelReason.DUPLICATE:
            if not _text(content.get("duplicate_of")).strip():
                raise BadAction(gettext("Hãy ghi mã của yêu cầu mà yêu cầu này trùng."))
            duplicate_of = self._by_code(content.get("duplicate_of"))
        request = management.cancel_for_reason(
            request=request,
            user=self.scope["user"],
            reason=reason,
            duplicate_of=duplicate_of,
            note=_text(content.get("note"))[:300],
        )
        return self._done(request)

    def _merge(self, content: dict[str, Any]) -> dict[str, Any]:
        keep = self._request(content, manage=True)
        duplicate = self._by_code(content.get("duplicate"))
        keep = management.merge_requests(
            keep=keep, duplicate=duplicate, user=self.scope["user"]
        )
        return {**self._done(keep), "merged": duplicate.code}

    def _resolve(self, content: dict[str, Any]) -> dict[str, Any]:
        """Close an open request from the board: its outcome, then it leaves."""
        request = self._request(content, manage=True)
        request = lifecycle.resolve_request(
            request=request,
            outcome=_text(content.get("outcome")),
            user=self.scope["user"],
            note=_text(content.get("note"))[:MAX_TEXT],
        )
        return self._done(request)

    def _reopen(self, content: dict[str, Any]) -> dict[str, Any]:
        """Reopen a resolved or closed request of the commune, by its code."""
        user = self._secretary()
        request = self._by_code(content.get("code"))
        request = lifecycle.reopen_request(
            request=request,
            actor=events.actor(user=user),
            reason=_text(content.get("reason"))[:300],
            via="board",
        )
        return self._done(request)

    def _escalate(self, content: dict[str, Any]) -> dict[str, Any]:
        user = self._secretary()
        request = permissions.access_board_request(
            commune_id=self.commune_id, request_id=content.get("request_id")
        )
        reason = _text(content.get("reason"))[:300]
        request = lifecycle.escalate_request(request=request, reason=reason, user=user)
        return {"request_id": request.pk, "status": request.status}

    def _place(self, content: dict[str, Any]) -> dict[str, Any]:
        """Triage: the office chooses the village a request is about; it is routed to
        that village's team at once (`management.edit_request`)."""
        user = self.scope["user"]
        request = permissions.access_board_request(
            commune_id=self.commune_id, request_id=content.get("request_id")
        )
        if not permissions.may_correct_request(user=user, request=request):
            raise NotAllowed()
        village = permissions.access_board_village(
            commune_id=self.commune_id, village_id=content.get("village_id")
        )
        request = management.edit_request(request=request, user=user, village=village)
        return {"request_id": request.pk, "status": request.status}


def error_message(action: Any, ref: Any, code: str, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "event_id": None,
        "action": action if isinstance(action, str) else None,
        "ref": ref,
        "code": code,
        "message": message,
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
