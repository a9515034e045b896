"""Error pages explain what happened and what to do, in Thai."""

from django.test import override_settings


@override_settings(DEBUG=False)
def test_a_missing_page_explains_itself_in_thai(client, cast):
    client.force_login(cast.planner)
    resp = client.get("/orgs/999999/members/")
    assert resp.status_code == 404
    body = resp.content.decode()
    assert 'lang="th"' in body and 'href="/"' in body


@override_settings(DEBUG=False)
def test_a_forbidden_change_explains_which_role_is_needed(client, cast):
    client.force_login(cast.viewer)  # sees the organization, may not invite
    resp = client.get(f"/accounts/invite/{cast.lgo.pk}/")
    assert resp.status_code == 403
    assert "<h1>" in resp.content.decode()


def test_the_server_error_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "<h1>" in html and 'href="/"' in html
