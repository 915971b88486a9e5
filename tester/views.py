"""Tester views: the tester page (every tracker, or one saved tracker) and the editor's
"Try it" (the phrases as typed, saved or not). Each checks the permission, validates the
transcript, calls scoring.run, and picks the page or the results partial. A POST is one run
per user: a newer one stops it (tester/claims.py)."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require_perm
from symbl_admin import embedding
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound
from trackers.forms import TrackerForm

from . import scoring
from .claims import Claim, Superseded
from .forms import TranscriptForm

VIEW = "accounts.view_trackers"
PAGE = "tester/tester.html"
RESULTS = "tester/_results.html"


def _context(form: TranscriptForm, **extra) -> dict:
    threshold = form.threshold_value() if form.is_bound else scoring.DEFAULT_THRESHOLD
    return {
        "form": form,
        "threshold": threshold,
        "default_threshold": scoring.DEFAULT_THRESHOLD,
        "slider": {
            "min": scoring.SLIDER_MIN,
            "max": scoring.SLIDER_MAX,
            "step": scoring.SLIDER_STEP,
        },
        **extra,
    }


def _run(form: TranscriptForm, trackers: list[scoring.TrackerInput]) -> dict:
    """The results' context: a Result, or the reason there is none.

    Raises:
        Superseded: a newer tester request by the same user started meanwhile.
    """
    if not form.is_valid():
        return {"result": None}
    if not trackers:
        return {"result": None, "no_trackers": True}
    try:
        result = scoring.run(
            sentences=form.cleaned_data["sentences"],
            trackers=trackers,
            threshold=form.cleaned_data["threshold"],
            between=form.between,
        )
    except embedding.ModelUnavailable as error:
        return {"result": None, "unavailable": str(error)}
    return {"result": result}


def _as_input(tracker) -> scoring.TrackerInput:
    return scoring.TrackerInput(
        id=tracker.id,
        name=tracker.name,
        phrases=tuple(tracker.vocabulary),
        ignored=tuple(tracker.exclude_vocabulary),
    )


def _saved_trackers(tracker_id: str) -> tuple[list[scoring.TrackerInput], object | None]:
    """([one tracker] or every tracker, the one tracker if asked for).

    Raises:
        ManagementAPIError: the Management API did not answer (NotFound for an unknown id).
    """
    client = get_client()
    if tracker_id:
        tracker = client.trackers.get(tracker_id)
        return [_as_input(tracker)], tracker
    return [_as_input(t) for t in client.trackers.list()], None


NO_SUCH = "It may have been deleted. Pick another tracker, or test all of them."


def one_run_per_user(view):
    """A POST claims its user's tester run; one a newer request took over from answers 204
    (htmx swaps nothing; a browser stays where it is)."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        between = Claim(request.user.pk).check if request.method == "POST" else lambda: None
        try:
            return view(request, between)
        except Superseded:
            return HttpResponse(status=204)

    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(VIEW)
@one_run_per_user
def tester_page(request: HttpRequest, between) -> HttpResponse:
    """Every saved tracker against a transcript (or one, `?tracker=<id>`)."""
    data = request.POST if request.method == "POST" else None
    form = TranscriptForm(data, request.FILES or None, between=between)
    tracker_id = (request.POST.get("tracker") or request.GET.get("tracker") or "").strip()
    if not form.is_bound:
        form = TranscriptForm(initial={"tracker": tracker_id})
    extra: dict = {}
    try:
        trackers, one = _saved_trackers(tracker_id)
    except NotFound:
        trackers, one, extra["api_error"] = (
            [],
            None,
            {"title": "No such tracker.", "message": NO_SUCH},
        )
    except ManagementAPIError as error:
        trackers, one, extra["api_error"] = [], None, error
    extra["one_tracker"] = one
    if form.is_bound and "api_error" not in extra:
        extra.update(_run(form, trackers))
    return render_page_or_partial(request, PAGE, "tester-results", _context(form, **extra))


@require_POST
@require_perm(VIEW)
@one_run_per_user
def try_phrases(request: HttpRequest, between) -> HttpResponse:
    """The editor's "Try it": the tracker form's phrases as typed, against the transcript."""
    form = TranscriptForm(request.POST, request.FILES or None, between=between)
    values = TrackerForm(request.POST).values()
    tracker = scoring.TrackerInput(
        id=(request.POST.get("tracker") or "").strip() or "draft",
        name=values["name"] or "This tracker",
        phrases=tuple(values["vocabulary"]),
        ignored=tuple(values["excludeVocabulary"]),
    )
    trackers = [tracker] if tracker.phrases else []
    context = _context(form, editor=True, **_run(form, trackers))
    if not form.data.get("transcript") and not request.FILES:
        context["waiting"] = True  # nothing pasted yet: no error, just the invitation
    return render(request, RESULTS, context)
