"""Organization browser and organization pages."""

from django.shortcuts import get_object_or_404, render

from orgs.models import Organization


def browser(request):
    return render(request, "orgs/browser.html", {"orgs": Organization.objects.none()})


def detail(request, pk):
    org = get_object_or_404(Organization, pk=pk)
    return render(request, "orgs/detail.html", {"org": org})
