"""Administrators give roles; everyone else is refused on the server."""

import pytest

from marketplace.accounts.models import Role
from marketplace.extensions import db

ADMIN_PAGES = ["/admin", "/admin/users"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_buyer_gets_403_on_admin_pages(client, auth, create_user, path):
    create_user(email="b@example.com")
    auth.login("b@example.com")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_gives_a_user_roles(client, auth, create_user):
    create_user(email="admin@example.com", roles=[Role.admin])
    target = create_user(email="coop@example.com")
    auth.login("admin@example.com")
    response = client.post(
        f"/admin/users/{target.id}/roles",
        data={"roles": ["cooperative_manager", "station_operator"]},
    )
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.roles == {Role.cooperative_manager, Role.station_operator}
    client.post(f"/admin/users/{target.id}/roles", data={"roles": ["station_operator"]})
    db.session.refresh(target)
    assert target.roles == {Role.station_operator}


def test_a_cooperative_manager_cannot_give_roles(client, auth, create_user):
    create_user(email="coop@example.com", roles=[Role.cooperative_manager])
    other = create_user(email="b@example.com")
    auth.login("coop@example.com")
    response = client.post(f"/admin/users/{other.id}/roles", data={"roles": ["admin"]})
    assert response.status_code == 403
    db.session.refresh(other)
    assert other.roles == set()
