from articles.factories import make_article, make_image, make_section


def test_reader_sees_the_lead_story_and_opens_it(page, transactional_db):
    news = make_section("News")
    make_article(
        "Tenants win their fight over repairs",
        section=news,
        standfirst="After a year of pressure the council agreed to act.",
        featured_image=make_image(alt_text="Abstract yellow circles", credit="Twitter"),
    )
    page.goto("/")
    lead = page.locator(".teaser--lead")
    assert "Tenants win their fight over repairs" in lead.inner_text()
    lead.get_by_role("link", name="Tenants win their fight over repairs").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tenants win their fight over repairs"
    assert "Featured image via Twitter" in page.locator("figcaption").inner_text()
    assert page.context.cookies() == []
