from django.urls import reverse

URL = reverse("accounts:logout")


def test_it_signs_out(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL)
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    # the next page is private again
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_it_says_so_on_the_sign_in_page(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL, follow=True)
    assert "You have signed out" in r.content.decode()


def test_it_rejects_get(client, cast):
    client.force_login(cast.planner)
    assert client.get(URL).status_code == 405
    assert client.session["_auth_user_id"] == str(cast.planner.pk)
