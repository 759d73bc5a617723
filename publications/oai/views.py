"""The /oai/ endpoint: GET or POST, answered as XML."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from . import conf
from .verbs import Repository, oai_answer


@csrf_exempt  # harvesters POST without a session; nothing is changed
@require_http_methods(["GET", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    """OAI-PMH 2.0: the arguments come in the query string, or a form POST."""
    params = request.POST if request.method == "POST" else request.GET
    site = Site.find_for_request(request)
    if site is not None:
        root, host = site.root_url, site.hostname
    else:
        root, host = request.build_absolute_uri("/"), request.get_host()
    repository = Repository(
        base_url=root.rstrip("/") + reverse("oai"),
        identifier_domain=conf.identifier_domain(host.split(":")[0]),
    )
    return HttpResponse(
        oai_answer(params=params, repository=repository),
        content_type="text/xml; charset=utf-8",
    )
