"""The company's public profile (description, website, sector, address, logo), its logo
route, and what task pages and task cards show about the company and the applicants."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import event, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from taskboerse.extensions import db
from taskboerse.models import ApplicationStatus, Company, Role
from taskboerse.services import companies, logos, tasks
from taskboerse.services.demo_data import COMPANIES, COMPANY_PROFILES
from taskboerse.services.errors import ValidationFailed
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    EntrepreneurFactory,
    TaskFactory,
    UserFactory,
)

URL = "/entrepreneur/company"


# --- helpers --------------------------------------------------------------------------------


def image_bytes(fmt: str = "PNG", size=(600, 300), mode: str = "RGB", **save) -> bytes:
    """An image file of ``size`` in ``fmt``, one colour."""
    image = Image.new(mode, size, "#0b5cad" if mode in ("RGB", "RGBA") else 128)
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb
    as far as any decoder that trusts the header is concerned)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def owner_with_company(locale: str = "en", **fields) -> Company:
    """A company whose owner reads English (the messages are checked in English)."""
    owner = EntrepreneurFactory(locale=locale)
    return CompanyFactory(owner=owner, **fields)


def form_data(company: Company, **changes) -> dict:
    """The company form as the page sends it, with ``changes``."""
    data = {
        "name": company.name,
        "cvr": company.cvr,
        "phone": "",
        "description": company.description,
        "website": company.website,
        "sector": company.sector,
        "address": company.address,
        "postcode": company.postcode,
    }
    data.update(changes)
    return data


def post_company(client, data: dict):
    """Post the form as a browser does (multipart). The body is encoded in memory: the test
    client's own encoder spools bodies over 500 KB to a temporary file it never closes."""
    boundary, body = encode_multipart(MultiDict(list(data.items())))
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def snapshot(company_id: int) -> dict:
    """Everything the form can change, read fresh from the database."""
    db.session.expire_all()
    company = db.session.get(Company, company_id)
    return {
        name: getattr(company, name)
        for name in (
            "name",
            "cvr",
            "phone",
            "description",
            "website",
            "sector",
            "address",
            "postcode",
            "logo",
            "logo_updated_at",
        )
    }


def stored_logo(company_id: int) -> Image.Image:
    db.session.expire_all()
    png = db.session.get(Company, company_id).logo
    assert png is not None
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


# --- saving the profile -----------------------------------------------------------------------


def test_saving_every_field(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    response = post_company(
        client,
        form_data(
            company,
            description="Vi brygger kaffe.\r\nOg rister selv.",
            website="kaffebaren.example",
            sector="hospitality",
            address="  Bønnestien   21 ",
            postcode="8000",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = snapshot(company.id)
    assert saved["description"] == "Vi brygger kaffe.\nOg rister selv."
    assert saved["website"] == "https://kaffebaren.example"
    assert saved["sector"] == "hospitality"
    assert saved["address"] == "Bønnestien 21"
    assert saved["postcode"] == "8000"
    assert saved["logo"] is None

    page = client.get(URL).get_data(as_text=True)
    assert "https://kaffebaren.example" in page and "Bønnestien 21" in page
    assert '<option selected value="hospitality">' in page


def test_fields_can_be_emptied_again(login_as) -> None:
    company = owner_with_company(
        description="Noget", website="https://a.example", sector="it", postcode="8000"
    )
    client = login_as(company.owner)
    response = post_company(
        client, form_data(company, description="", website="", sector="", postcode="")
    )
    assert response.status_code == 302
    saved = snapshot(company.id)
    assert (saved["description"], saved["website"], saved["sector"], saved["postcode"]) == (
        "",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("example.dk", "https://example.dk"),
        ("www.example.dk/om-os", "https://www.example.dk/om-os"),
        ("HTTP://Example.DK", "http://example.dk"),
        ("https://blåbær.example", "https://blåbær.example"),
        ("example.dk:8080/x?y=1", "https://example.dk:8080/x?y=1"),
    ],
)
def test_website_is_an_http_address(app, raw, stored) -> None:
    assert companies.clean_website(raw) == stored


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"website": "javascript:alert(1)"}, "website", "starting with http:// or https://"),
        ({"website": "JavaScript:alert(1)"}, "website", "starting with http:// or https://"),
        ({"website": "data:text/html,hej"}, "website", "starting with http:// or https://"),
        ({"website": "ftp://example.dk"}, "website", "starting with http:// or https://"),
        ({"website": "mailto:a@example.dk"}, "website", "starting with http:// or https://"),
        ({"website": "https://user:pw@example.dk"}, "website", "starting with http://"),
        ({"website": "http://localhost"}, "website", "starting with http:// or https://"),
        ({"website": "http://10.0.0.1/"}, "website", "starting with http:// or https://"),
        ({"website": "https://exa mple.dk"}, "website", "starting with http:// or https://"),
        ({"website": "https://example.dk:99999"}, "website", "starting with http://"),
        ({"postcode": "0000"}, "postcode", "0000 is not a Danish postcode"),
        ({"postcode": "12a4"}, "postcode", "A Danish postcode is 4 digits."),
        ({"description": "x" * 1001}, "description", "at most 1000 characters"),
        ({"sector": "weapons"}, "sector", "Not a valid choice"),
        ({"address": "x" * 161}, "address", "160"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(login_as, changes, field, message) -> None:
    company = owner_with_company(
        description="Før", website="https://foer.example", sector="it", postcode="2200"
    )
    before = snapshot(company.id)
    client = login_as(company.owner)
    response = post_company(client, form_data(company, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert snapshot(company.id) == before


def test_every_refused_field_is_named_at_once(login_as) -> None:
    company = owner_with_company()
    before = snapshot(company.id)
    client = login_as(company.owner)
    response = upload(
        client,
        company,
        b"ikke et billede",
        "logo.png",
        "image/png",
        website="javascript:alert(1)",
        postcode="0000",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("website", "postcode", "logo"):
        assert f'id="{field}-error"' in page, field
    assert snapshot(company.id) == before


def test_the_service_checks_what_the_form_checks(app) -> None:
    company = owner_with_company()
    for profile, field in [
        (companies.CompanyProfile(description="x" * 1001), "description"),
        (companies.CompanyProfile(sector="weapons"), "sector"),
        (companies.CompanyProfile(postcode="9999"), "postcode"),
        (companies.CompanyProfile(website="javascript:alert(1)"), "website"),
        (companies.CompanyProfile(address="x" * 161), "address"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            companies.save_company(company.owner, company.name, company.cvr, profile=profile)
        assert refused.value.field == field
    assert snapshot(company.id)["description"] == ""


def test_messages_are_danish_for_a_danish_reader(login_as) -> None:
    company = owner_with_company(locale="da")
    client = login_as(company.owner)
    response = post_company(client, form_data(company, postcode="12a4"))
    assert response.status_code == 422
    assert "Et dansk postnummer består af 4 cifre." in response.get_data(as_text=True)


# --- the logo ---------------------------------------------------------------------------------


def upload(client, company: Company, data: bytes, filename: str, content_type: str, **changes):
    return post_company(
        client,
        form_data(
            company,
            logo=FileStorage(io.BytesIO(data), filename=filename, content_type=content_type),
            **changes,
        ),
    )


@pytest.mark.parametrize(
    ("fmt", "filename", "content_type", "save"),
    [
        ("PNG", "logo.png", "image/png", {}),
        ("PNG", "logo.jpg", "image/jpeg", {}),  # named wrongly, but a PNG is a PNG
        ("JPEG", "logo.jpeg", "image/jpeg", {"quality": 90}),
        ("WEBP", "logo.webp", "image/webp", {}),
        ("GIF", "logo.gif", "application/octet-stream", {}),
    ],
)
def test_a_logo_is_stored_as_a_small_fresh_png(login_as, fmt, filename, content_type, save):
    company = owner_with_company()
    client = login_as(company.owner)
    response = upload(client, company, image_bytes(fmt, **save), filename, content_type)
    assert response.status_code == 302, response.get_data(as_text=True)
    image = stored_logo(company.id)
    assert image.format == "PNG"
    assert image.size == (256, 128)  # 600 × 300, thumbnailed to fit 256 × 256
    assert snapshot(company.id)["logo_updated_at"] is not None


def test_the_logo_is_turned_upright_and_loses_its_metadata(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x010E] = "Kamera i kælderen"  # image description
    image = Image.new("RGB", (300, 100), "red")
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    assert upload(client, company, out.getvalue(), "foto.jpg", "image/jpeg").status_code == 302
    stored = stored_logo(company.id)
    assert stored.size in ((85, 256), (86, 256))
    assert "exif" not in stored.info and not stored.getexif()

    # Text chunks and a colour profile in a PNG are not copied either.
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    meta.add_text("Comment", "hemmelig note")
    png = image_bytes("PNG", pnginfo=meta, icc_profile=b"\x00" * 128)
    assert upload(client, company, png, "logo.png", "image/png").status_code == 302
    stored = stored_logo(company.id)
    assert "Comment" not in stored.info and "icc_profile" not in stored.info


def test_a_transparent_logo_keeps_its_transparency(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    png = image_bytes("PNG", size=(64, 64), mode="RGBA")
    assert upload(client, company, png, "logo.png", "image/png").status_code == 302
    stored = stored_logo(company.id)
    assert stored.mode == "RGBA" and stored.size == (64, 64)  # never enlarged


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "message"),
    [
        (b"Dette er ikke et billede.\n", "logo.png", "image/png", "must be a PNG, JPEG"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "logo.pdf", "application/pdf", "PNG, JPEG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
            "must be a PNG, JPEG, WebP or GIF image",
        ),
        (
            b"<html><script>alert(1)</script></html>",
            "logo.gif",
            "image/gif",
            "must be a PNG, JPEG",
        ),
        (image_bytes("BMP"), "logo.png", "image/png", "must be a PNG, JPEG"),
        (image_bytes("TIFF"), "logo.png", "image/png", "must be a PNG, JPEG"),
        (image_bytes("PNG")[:200], "logo.png", "image/png", "damaged or incomplete"),
        (png_claiming(20_000, 20_000), "bomb.png", "image/png", "at most 4096 × 4096"),
        (png_claiming(10_000, 10_000), "bomb.png", "image/png", "at most 4096 × 4096"),
        (png_claiming(5_000, 4_000), "bomb.png", "image/png", "at most 4096 × 4096"),
        (png_claiming(0x7FFFFFFF, 1), "bomb.png", "image/png", "at most 4096"),
        (b"", "empty.png", "image/png", "The logo file is empty."),
    ],
)
def test_a_bad_logo_is_refused_and_changes_nothing(
    login_as, data, filename, content_type, message
) -> None:
    company = owner_with_company(description="Før")
    client = login_as(company.owner)
    assert upload(client, company, image_bytes(), "old.png", "image/png").status_code == 302
    before = snapshot(company.id)
    response = upload(
        client, company, data, filename, content_type, description="Skulle ikke gemmes"
    )
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert 'id="logo-error"' in page and message in page
    assert snapshot(company.id) == before


def test_a_real_decompression_bomb_is_refused(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    bomb = image_bytes("PNG", size=(6000, 6000), mode="1")  # 36 megapixels in a few KB
    assert len(bomb) < 100_000
    response = upload(client, company, bomb, "logo.png", "image/png")
    assert response.status_code == 422
    assert "at most 4096 × 4096" in response.get_data(as_text=True)
    assert snapshot(company.id)["logo"] is None


def test_an_oversized_logo_is_refused(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    noise = Image.frombytes("RGB", (620, 620), bytes(range(256)) * (620 * 620 * 3 // 256 + 1))
    out = io.BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    data = out.getvalue()
    assert logos.MAX_LOGO_BYTES < len(data) < 2 * 1024 * 1024
    response = upload(client, company, data, "logo.png", "image/png")
    assert response.status_code == 422
    assert "at most 1 MB" in response.get_data(as_text=True)
    assert snapshot(company.id)["logo"] is None


def test_a_body_over_the_request_cap_is_refused_without_a_500(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    response = upload(client, company, b"\x00" * (3 * 1024 * 1024), "logo.png", "image/png")
    assert response.status_code == 413
    assert snapshot(company.id)["logo"] is None


def test_the_logo_can_be_removed(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    assert upload(client, company, image_bytes(), "logo.png", "image/png").status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert f"/companies/{company.id}/logo.png" in page and 'name="remove_logo"' in page
    response = post_company(client, form_data(company, remove_logo="y"))
    assert response.status_code == 302
    saved = snapshot(company.id)
    assert saved["logo"] is None and saved["logo_updated_at"] is None
    assert 'name="remove_logo"' not in client.get(URL).get_data(as_text=True)


def test_no_file_chosen_keeps_the_logo(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    assert upload(client, company, image_bytes(), "logo.png", "image/png").status_code == 302
    before = snapshot(company.id)["logo"]
    # A browser sends an empty file part without a name when no file is chosen.
    response = upload(client, company, b"", "", "application/octet-stream", description="Ny")
    assert response.status_code == 302
    saved = snapshot(company.id)
    assert saved["logo"] == before and saved["description"] == "Ny"


def test_a_new_upload_wins_over_remove(login_as) -> None:
    company = owner_with_company()
    client = login_as(company.owner)
    response = upload(client, company, image_bytes(), "logo.png", "image/png", remove_logo="y")
    assert response.status_code == 302
    assert snapshot(company.id)["logo"] is not None


# --- the logo route ---------------------------------------------------------------------------


def test_the_logo_route_serves_our_png_safely(app, client) -> None:
    company = owner_with_company()
    companies.save_company(
        company.owner,
        company.name,
        company.cvr,
        logo=companies.LogoChange(upload=image_bytes("JPEG")),
    )
    response = client.get(f"/companies/{company.id}/logo.png")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    etag = response.headers["ETag"]
    assert etag and response.headers["Last-Modified"]
    again = client.get(f"/companies/{company.id}/logo.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_the_logo_may_be_cached(app, client) -> None:
    company = owner_with_company()
    companies.save_company(
        company.owner, company.name, company.cvr, logo=companies.LogoChange(upload=image_bytes())
    )
    response = client.get(f"/companies/{company.id}/logo.png")
    assert "max-age=" in response.headers["Cache-Control"]
    assert "no-store" not in response.headers["Cache-Control"]


def test_the_logo_route_404s_without_a_logo(client) -> None:
    company = owner_with_company()
    assert client.get(f"/companies/{company.id}/logo.png").status_code == 404
    assert client.get(f"/companies/{company.id + 1000}/logo.png").status_code == 404
    assert client.get("/companies/abc/logo.png").status_code == 404


# --- who may change the company ---------------------------------------------------------------


def test_another_entrepreneur_cannot_change_this_company(login_as) -> None:
    company = owner_with_company(description="Vores", website="https://vores.example")
    before = snapshot(company.id)
    other = login_as(EntrepreneurFactory(locale="en"))
    # The page edits only one's own company: the same CVR number is someone else's.
    response = upload(
        other,
        company,
        image_bytes(),
        "logo.png",
        "image/png",
        description="Overtaget",
        website="https://ond.example",
    )
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)
    assert snapshot(company.id) == before
    # A graduate, a caseworker and an anonymous visitor cannot post the form at all.
    for role in (Role.JOBSEEKER, Role.CASEWORKER):
        client = login_as(UserFactory(role=role))
        assert post_company(client, form_data(company, description="X")).status_code == 403
    assert snapshot(company.id) == before


def test_anonymous_cannot_post_the_form(client) -> None:
    company = owner_with_company(description="Vores")
    before = snapshot(company.id)
    response = post_company(client, form_data(company, description="X"))
    assert response.status_code in (302, 401)
    assert snapshot(company.id) == before


# --- the task page and the cards --------------------------------------------------------------


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


def test_the_task_page_shows_the_company(app, client) -> None:
    company = owner_with_company(
        description="Vi rister kaffe i Nordvest.",
        website="https://kaffebaren.example/",
        sector="hospitality",
        address="Bønnestien 21",
        postcode="8000",
    )
    companies.save_company(
        company.owner,
        company.name,
        company.cvr,
        logo=companies.LogoChange(upload=image_bytes()),
    )
    task = TaskFactory(company=company)
    page = english(client).get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "About the company" in page
    assert f'src="/companies/{company.id}/logo.png?v=' in page
    assert f'alt="Logo of {company.name}"' in page
    assert "Hotels and restaurants" in page
    assert "8000 Aarhus C" in page
    assert "Vi rister kaffe i Nordvest." in page
    assert (
        '<a href="https://kaffebaren.example/" rel="nofollow noopener noreferrer">'
        "kaffebaren.example</a>" in page
    )
    assert "Bønnestien" not in page  # the street is not on the public page


def test_an_empty_profile_shows_no_empty_section(app, client) -> None:
    task = TaskFactory()
    page = english(client).get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "About the company" not in page
    assert "/logo.png" not in page and "Website:" not in page


def test_only_the_filled_parts_are_shown(app, client) -> None:
    task = TaskFactory(company=owner_with_company(sector="it"))
    page = english(client).get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "About the company" in page and "IT and communication" in page
    assert "/logo.png" not in page and "Website:" not in page and " · </p>" not in page


def make_board():
    """Three open tasks: one with applicants in every state, one full, one remote with no
    postcode of its own (so the card shows the company's town)."""
    company = owner_with_company(
        description="Et lille kafferisteri, der " + "gerne vil vokse " * 20,
        postcode="2400",
    )
    busy = TaskFactory(company=company, capacity=3, title="Travl opgave")
    for status in (
        ApplicationStatus.PENDING,
        ApplicationStatus.PENDING,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ):
        ApplicationFactory(task=busy, status=status)
    full = TaskFactory(company=company, capacity=1, title="Fuld opgave")
    ApplicationFactory(task=full, status=ApplicationStatus.ACCEPTED)
    remote = TaskFactory(company=company, postcode=None, remote=True, title="Fjernopgave")
    return busy, full, remote


def card_of(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</article>", start)]


@pytest.mark.parametrize("path", ["/tasks", "/"])
def test_the_cards_show_date_town_company_and_counts(app, client, path) -> None:
    busy, full, remote = make_board()
    page = english(client).get(path).get_data(as_text=True)
    card = card_of(page, "Travl opgave")
    assert "3 applicants" in card and "2 places left" in card
    assert "Posted " in card
    assert "Et lille kafferisteri" in card and "..." in card
    assert "2400 København NV" not in card  # the task has its own place
    card = card_of(page, "Fuld opgave")
    assert "1 applicant" in card and "no places left" in card
    card = card_of(page, "Fjernopgave")
    assert "no applicants yet" in card and "1 place left" in card
    assert "2400 København NV" in card


def test_the_card_says_the_posting_date_in_danish(app, client) -> None:
    from datetime import UTC, datetime

    TaskFactory(published_at=datetime(2026, 12, 3, 12, 0, tzinfo=UTC), title="Dato-opgave")
    page = client.get("/tasks").get_data(as_text=True)
    assert "3. dec. 2026" in card_of(page, "Dato-opgave")


def test_the_counts_are_one_query_for_a_whole_page(app) -> None:
    busy, full, remote = make_board()
    for task in (busy, full, remote):
        db.session.refresh(task)  # loaded now, so only the counting is counted
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        counts = tasks.card_counts([busy, full, remote])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert counts[busy.id] == tasks.CardCounts(applicants=3, places_left=2)
    assert counts[full.id] == tasks.CardCounts(applicants=1, places_left=0)
    assert counts[remote.id] == tasks.CardCounts(applicants=0, places_left=1)
    assert tasks.card_counts([]) == {}


def test_a_completed_graduate_still_counts_and_holds_a_place(app) -> None:
    task = TaskFactory(capacity=2)
    ApplicationFactory(task=task, status=ApplicationStatus.COMPLETED)
    assert tasks.card_counts([task])[task.id] == tasks.CardCounts(applicants=1, places_left=1)


def test_browse_costs_the_same_queries_for_more_cards(app, client) -> None:
    from tests.helpers import count_queries

    make_board()
    few = count_queries(client, "/tasks")
    for _ in range(3):
        task = TaskFactory(company=owner_with_company(description="Mere"), capacity=2)
        ApplicationFactory(task=task)
    assert count_queries(client, "/tasks") == few


def test_browse_has_no_heading_jump(app, client) -> None:
    import re

    make_board()
    page = client.get("/tasks").get_data(as_text=True)
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


# --- demo data --------------------------------------------------------------------------------


def test_every_demo_company_has_a_valid_fictitious_profile(app) -> None:
    assert set(COMPANY_PROFILES) == {name for name, _person in COMPANIES}
    for name, (sector, description, website, address, postcode) in COMPANY_PROFILES.items():
        profile, _png = companies.clean_profile(
            companies.CompanyProfile(description, website, sector, address, postcode)
        )
        assert profile.website == website and website.endswith(".example"), name
        assert profile.sector in companies.SECTORS and profile.postcode == postcode
        assert description and address


def test_seeded_demo_companies_have_profiles_and_logos(runner, client) -> None:
    runner.invoke(args=["seed-demo"])
    rows = db.session.execute(
        select(Company.name, Company.description, Company.website, Company.logo_updated_at)
    ).all()
    assert rows and all(r.description and r.website.endswith(".example") for r in rows)
    with_logo = [r for r in rows if r.logo_updated_at is not None]
    assert 0 < len(with_logo) < len(rows)
    company = (
        db.session.execute(select(Company).where(Company.logo_updated_at.is_not(None)))
        .scalars()
        .first()
    )
    response = client.get(f"/companies/{company.id}/logo.png")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (256, 256)


def test_erasing_the_entrepreneur_takes_the_public_profile_and_logo_away(app, client) -> None:
    from taskboerse.services import privacy

    company = owner_with_company()
    companies.save_company(
        company.owner,
        company.name,
        company.cvr,
        profile=companies.CompanyProfile(
            description="Vi brygger kaffe.",
            website="https://kaffe.example",
            sector="",
            address="Havnegade 1",
            postcode="8000",
        ),
        logo=companies.LogoChange(upload=image_bytes()),
    )
    exported = privacy.export_personal_data(company.owner)["company"]
    assert exported["description"] == "Vi brygger kaffe." and exported["has_logo"]
    privacy.anonymise_user(company.owner)
    db.session.commit()
    db.session.expire_all()
    closed = db.session.get(Company, company.id)
    assert (closed.description, closed.website, closed.address, closed.postcode) == ("",) * 4
    assert closed.logo is None
    assert client.get(f"/companies/{company.id}/logo.png").status_code == 404


def test_the_api_reads_and_writes_the_public_profile(app, client) -> None:
    from tests.functional.test_api import token_for

    company = owner_with_company()
    headers = token_for(client, company.owner)
    base = {"name": company.name, "cvr": company.cvr}
    r = client.put(
        "/api/v1/me/company",
        json={
            **base,
            "description": "Vi brygger kaffe.",
            "website": "kaffe.example",
            "sector": "food",
            "postcode": "8000",
        },
        headers=headers,
    )
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["website"] == "https://kaffe.example" and body["sector"] == "food"
    assert body["logo_url"] is None
    # Left out, the profile keeps its value (old clients send only name and CVR).
    r = client.put("/api/v1/me/company", json={**base, "address": "Havnegade 1"}, headers=headers)
    assert r.get_json()["description"] == "Vi brygger kaffe."
    assert r.get_json()["address"] == "Havnegade 1"
    companies.save_company(
        company.owner, company.name, company.cvr, logo=companies.LogoChange(upload=image_bytes())
    )
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["company"]["logo_url"].endswith(f"/companies/{company.id}/logo.png")
    # Every refused field is named, and nothing changes.
    r = client.put(
        "/api/v1/me/company",
        json={**base, "website": "javascript:alert(1)", "postcode": "0000"},
        headers=headers,
    )
    assert r.status_code == 422
    assert {"website", "postcode"} <= set(r.get_json()["error"]["fields"])
    db.session.expire_all()
    assert db.session.get(Company, company.id).website == "https://kaffe.example"
    r = client.put("/api/v1/me/company", json={**base, "sector": "astrology"}, headers=headers)
    assert r.status_code == 422
