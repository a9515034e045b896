"""{% plan_documents plan %}: the download buttons on a plan's page (templates/plans/detail.html)."""

from django import template

register = template.Library()


@register.inclusion_tag("documents/_plan_documents.html", takes_context=True)
def plan_documents(context, plan):
    from documents.views import plan_documents_context

    request = context.get("request")
    return {
        **plan_documents_context(request, plan),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
