"""Readers report a mistake in a story; editors find the reports on their desk and answer each once."""

import pytest

from articles.factories import make_article
from articles.models import Article, CorrectionRequest
from tests.editorial_helpers import signed_in, staff

pytestmark = pytest.mark.django_db
WORDS = "The council vote was 31 to 12, not 21 to 12: see the minutes of 2 December."


def report_url(article):
    return f"/report-error/{article.pk}/"


def send(client, article, address="203.0.113.7", **fields):
    return client.post(report_url(article), {"text": WORDS, "email": "", **fields}, REMOTE_ADDR=address)


def test_a_reader_finds_the_form_under_the_story_and_the_report_reaches_the_editors(client):
    story = make_article("Council backs library sale")
    assert f'href="{report_url(story)}"' in client.get(story.get_absolute_url()).content.decode()
    form = client.get(report_url(story))
    assert form.status_code == 200 and "private" in form["Cache-Control"]
    response = send(client, story, email="reader@canary.example")
    assert response.status_code == 302 and response["Location"] == f"/report-error/{story.pk}/thanks/"
    assert "Thank you for telling us" in client.get(response["Location"]).content.decode()
    report = CorrectionRequest.objects.get()
    assert (report.article, report.text, report.email, report.status) == (
        story,
        WORDS,
        "reader@canary.example",
        CorrectionRequest.Status.WAITING,
    )


def test_a_report_too_short_to_act_on_is_refused_and_the_words_are_kept(client):
    story = make_article("Council backs library sale")
    response = send(client, story, text="wrong")
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 10 characters" in page and ">\nwrong</textarea>" in page
    assert not CorrectionRequest.objects.exists()


def test_a_robot_that_fills_the_hidden_box_is_thanked_and_nothing_is_stored(client):
    story = make_article("Council backs library sale")
    assert send(client, story, website="https://spam.test/").status_code == 302
    assert not CorrectionRequest.objects.exists()


def test_one_address_sending_report_after_report_is_stopped_with_its_words_kept(client, settings):
    settings.CORRECTION_REPORT_RATE_LIMIT = 2
    story = make_article("Council backs library sale")
    assert [send(client, story, address="198.51.100.9").status_code for _ in range(2)] == [302, 302]
    refused = send(client, story, address="198.51.100.9", text="A third report, one too many today.")
    assert refused.status_code == 429
    assert "A third report, one too many today." in refused.content.decode()
    assert CorrectionRequest.objects.count() == 2
    assert send(client, story, address="198.51.100.10").status_code == 302  # someone else is not stopped


def test_only_published_stories_take_reports(client):
    draft = make_article("Not out yet", status=Article.Status.DRAFT)
    assert client.get(report_url(draft)).status_code == 404
    assert send(client, draft).status_code == 404


def test_the_editors_desk_lists_reports_waiting_and_the_answer_is_recorded_once(client):
    story = make_article("Council backs library sale")
    send(client, story)
    editor = staff("ed", "Editor")
    desk = signed_in(editor).get("/admin/").content.decode()
    assert "Corrections requested" in desk and "Answer 1 report" in desk and "31 to 12" in desk
    report = CorrectionRequest.objects.get()
    signed_in(editor).post(
        "/admin/articles/correctionrequest/",
        {"action": "mark_corrected", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert (report.status, report.settled_by) == (CorrectionRequest.Status.CORRECTED, editor)
    with pytest.raises(CorrectionRequest.AlreadySettled):
        report.settle(CorrectionRequest.Status.NO_CHANGE, by=staff("other", "Editor"))
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.CORRECTED
    assert "No reports of mistakes waiting" in signed_in(editor).get("/admin/").content.decode()


def test_an_answer_from_a_form_opened_before_another_editors_is_refused(client):
    story = make_article("Council backs library sale")
    send(client, story)
    report = CorrectionRequest.objects.get()
    first, second = staff("ed", "Editor"), staff("other", "Editor")
    url = f"/admin/articles/correctionrequest/{report.pk}/change/"
    assert signed_in(first).post(url, {"status": "corrected"}).status_code == 302
    late = signed_in(second).post(url, {"status": "no_change"})
    report.refresh_from_db()
    assert (report.status, report.settled_by) == (CorrectionRequest.Status.CORRECTED, first)
    assert "Another editor has answered this report since you opened it." in late.content.decode()


def test_moderators_neither_see_nor_answer_reports(client):
    story = make_article("Council backs library sale")
    send(client, story)
    moderator = signed_in(staff("mo", "Moderator"))
    assert moderator.get("/admin/articles/correctionrequest/").status_code == 403
    assert "Corrections requested" not in moderator.get("/admin/").content.decode()
