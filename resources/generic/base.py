"""The base of every generic view: the resource, the permission check, reading one object,
and the page shown when the Management API cannot be read."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from accounts.permissions import check_perm
from resources import objects
from resources.resource import Resource
from symbl_admin.htmx import wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound


class ResourceView(View):
    """Checks `permission` (an action of resource.perm) before anything else. A read that
    fails upstream shows the shared error page with a retry link (never a 500)."""

    resource: ClassVar[Resource | None] = None
    permission: str = "view"
    title: str = ""  # the error page's heading, e.g. "Delete {noun}"
    http_method_names: ClassVar[list[str]] = ["get"]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.r: Resource = self.resource  # short name for the subclasses
        if "get" in self.http_method_names and "head" not in self.http_method_names:
            # HEAD wherever GET: Django's View answers it with get(); the body is dropped on
            # the way out (symbl_admin.middleware.HeadMiddleware).
            self.http_method_names = [*self.http_method_names, "head"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method.lower() in self.http_method_names:
            self.check_permission(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except ManagementAPIError as exc:
            return api_error_page(
                request, exc, title=self.title.format(noun=self.r.noun), resource=self.r
            )

    def check_permission(self, request: HttpRequest) -> None:
        check_perm(request, self.r.perm(self.permission))

    def get_object(self, object_id: str):
        """Raises: Http404 for an unknown id; ManagementAPIError otherwise."""
        try:
            return objects.object_get(client=get_client(), resource=self.r, object_id=object_id)
        except NotFound:
            raise Http404(f"No {self.r.noun} with this id.") from None

    def base_context(self, **extra: Any) -> dict[str, Any]:
        base = {
            "resource": self.r,
            "words": self.r.words,
            "can": self.r.abilities(self.request.user),
            "urls": collection_urls(self.r),
        }
        clash = base.keys() & extra.keys()
        if clash:  # a descriptor's extra context must not hide what every screen relies on
            raise ValueError(f"Context keys taken by the generic views: {sorted(clash)}")
        return {**base, **extra}


def collection_urls(r: Resource) -> dict[str, str]:
    """The resource's URLs that take no id, for templates."""
    names = (
        "list",
        "create",
        "import",
        "deleted",
        "export_json",
        "export_csv",
        "export_xlsx",
        "bulk",
    )
    return {name: r.url(name) for name in names}


def object_urls(r: Resource, object_id: str) -> dict[str, str]:
    """The URLs of one object, for templates."""
    return {name: r.url(name, object_id) for name in ("detail", "edit", "delete")}


def api_error_page(
    request: HttpRequest, exc: ManagementAPIError, *, title: str, resource: Resource
) -> HttpResponse:
    """The page shown when reading from the Management API failed, with a retry link; after
    a form post (the read before a delete or a revert) a retry button that posts what was
    typed again, so nothing typed is lost."""
    resubmit = [
        (key, value)
        for key in request.POST
        if key != "csrfmiddlewaretoken"
        for value in request.POST.getlist(key)
    ]
    return render(
        request,
        "components/api_error_page.html",
        {
            "api_error": exc,
            "retry_url": "" if resubmit else request.get_full_path(),
            "resubmit": resubmit,
            "resubmit_url": request.get_full_path(),
            "title": title or resource.words.title,
            "section_url": resource.url("list"),
            "section_title": resource.words.title,
        },
        status=200 if wants_partial(request) else 503,
    )


def render_screen(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A whole new screen in answer to a form post (its own heading, not one region): htmx
    gets the full page too and swaps <main>, so the heading says what the screen now is."""
    from django_htmx.http import reselect, reswap, retarget

    response = render(request, template, context)
    if wants_partial(request):
        retarget(response, "#main")
        reswap(response, "outerHTML")
        reselect(response, "#main")
    return response
