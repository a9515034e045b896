"""Thai first, English on request."""


def test_pages_speak_thai_even_to_an_english_browser(client):
    resp = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert resp.headers["Content-Language"] == "th"


def test_the_switch_turns_pages_english_and_remembers_it_for_a_signed_in_user(client, cast):
    client.force_login(cast.planner)
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    assert resp.status_code == 302 and resp.url == "/orgs/"
    assert client.get("/orgs/").headers["Content-Language"] == "en"
    cast.planner.refresh_from_db()
    assert cast.planner.language == "en"


def test_the_switch_works_signed_out(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"


def test_the_api_follows_accept_language(client, cast):
    client.force_login(cast.planner)
    resp = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.headers["Content-Language"] == "en"
