from tests.pagetest import goto, signed_in, texts


def test_admin_sees_overview_and_can_open_incidents(factory) -> None:
    admin = factory.admin
    factory.incident(title="고유한 제목 ABC")
    at = signed_in(admin.username)
    assert "개요" in texts(at)
    goto(at, "incidents")
    assert "고유한 제목 ABC" in texts(at), texts(at)
