"""Demo content for The Canary, loaded by the ``seed_demo`` management command.

Plain Python data only (no Django imports), so it can be read and checked on its own.
Everything here is fictional: Harbourside is an invented UK city, and the people,
places and organisations in these stories are made up.

``hours_ago`` is how long before seeding an article was published; a negative value
means the article is scheduled for that many hours in the future. In ``COMMENTS``,
``reply_to`` is the zero-based index in this list of the comment being answered.

An article's ``image`` gives only the ``subject`` the picture illustrates: the pictures are
generated, so ``seed_demo`` starts each alt text with what the generated picture really shows.
"""

# In navigation order.
SECTIONS = [
    {
        "name": "News",
        "slug": "news",
        "description": (
            "Reporting on Harbourside's housing, work, council decisions and the people they "
            "affect, from journalists who live here."
        ),
    },
    {
        "name": "Opinion",
        "slug": "opinion",
        "description": (
            "Argument and analysis from Canary writers and guests, clearly labelled as opinion and "
            "never dressed up as news."
        ),
    },
    {
        "name": "Environment",
        "slug": "environment",
        "description": (
            "Climate, flooding, energy and the Wend estuary: how a changing environment is "
            "reshaping the city and what can still be done."
        ),
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": (
            "Theatre, music, radio and the places where Harbourside's culture is made rather than sold."
        ),
    },
]


# Invented journalists.
AUTHORS = [
    {
        "name": "Nia Okafor-Reid",
        "slug": "nia-okafor-reid",
        "bio": (
            "Nia covers housing and local democracy for The Canary. She spent six years on a "
            "regional daily before becoming a founding member of the co-op, and has sat through "
            "more council meetings than she cares to count. She lives in Eastfold."
        ),
    },
    {
        "name": "Tomasz Wrenfield",
        "slug": "tomasz-wrenfield",
        "bio": (
            "Tomasz is The Canary's work and labour correspondent, reporting on pay, conditions "
            "and trade unions across Harbourside. He was a warehouse worker and union rep before "
            "he became a journalist."
        ),
    },
    {
        "name": "Ailsa Penhallow",
        "slug": "ailsa-penhallow",
        "bio": (
            "Ailsa is our environment editor, covering climate, flooding, energy and the Wend "
            "estuary. She trained as a marine biologist and has been reporting on the coast for "
            "more than a decade."
        ),
    },
    {
        "name": "Dev Ramasamy",
        "slug": "dev-ramasamy",
        "bio": (
            "Dev writes about theatre, music and the city's cultural life. He grew up above his "
            "parents' shop in Northbank and has reviewed everything from opera to brass bands."
        ),
    },
    {
        "name": "Bridie McCallister",
        "slug": "bridie-mccallister",
        "bio": (
            "Bridie is The Canary's opinion editor. She worked for nineteen years as a care worker "
            "and union steward before joining the co-op, and writes about health, care and who "
            "gets to live in the city they keep running."
        ),
    },
]


# Static pages linked from the footer; bodies are simple HTML.
PAGES = [
    {
        "title": "About us",
        "slug": "about-us",
        "summary": (
            "The Canary is an independent news co-operative reporting on Harbourside, owned by the "
            "people who make it and paid for by the people who read it."
        ),
        "body": (
            "<p>The Canary is an independent news co-operative covering Harbourside and the "
            "communities around the Wend estuary. We were set up by a group of local journalists "
            "who believed the city deserved reporting that was answerable to its readers rather "
            "than to advertisers or distant owners.</p>"
            "<p>Canaries were once carried into mines because they noticed danger before anyone "
            "else did. That is the job we have set ourselves: to notice what is going wrong early, "
            "to say so plainly, and to keep asking questions until someone answers them.</p>"
            "<h2>What we cover</h2>"
            "<ul>"
            "<li>Housing, from rents and repairs to planning decisions and homelessness.</li>"
            "<li>Work, pay and the trade unions and workers organising across the city.</li>"
            "<li>Climate, flooding, energy and the health of the estuary.</li>"
            "<li>The council and local democracy: what is decided, by whom, and how you can have a "
            "say.</li>"
            "<li>The theatre, music, radio and community culture that make Harbourside worth "
            "living in.</li>"
            "</ul>"
            "<h2>How we work</h2>"
            "<p>We keep news and opinion apart, and we label opinion clearly. We name our sources "
            "wherever we can and explain why when we cannot. When we get something wrong we "
            "correct it openly, under our <a "
            'href="https://example.org/complaints-and-corrections">complaints and corrections '
            "policy</a>.</p>"
            "<p>Our journalism is free to read. It is paid for by readers who choose to support us "
            "each month, so that nobody is shut out of the news because they cannot afford a "
            "subscription.</p>"
            "<h2>Get in touch</h2>"
            "<p>If you have a story, a tip or a document you think we should see, <a "
            'href="https://example.org/contact">contact the newsroom</a>. We read everything, and '
            "we protect the people who talk to us.</p>"
        ),
    },
    {
        "title": "Who owns us",
        "slug": "who-owns-us",
        "summary": (
            "The Canary is a worker co-operative: it is owned and run by the people who work here, "
            "on the principle of one member, one vote."
        ),
        "body": (
            "<p>The Canary has no proprietor, no private shareholders and no outside investors. It "
            "is a worker co-operative, owned and controlled by the people who work for it.</p>"
            "<h2>One member, one vote</h2>"
            "<p>Everyone who works for The Canary for more than six months is invited to become a "
            "member by buying a single £1 share. Every member has exactly one vote, whatever their "
            "job, pay or hours. Reporters, editors, designers and the person who keeps the "
            "accounts all have the same say.</p>"
            "<p>Members meet at least four times a year. Together they elect the co-op's "
            "management committee, approve the budget, set pay and decide on any major change to "
            "how we work. The editor is appointed by the members and answers to them.</p>"
            "<h2>Paid for by readers</h2>"
            "<p>Most of our income comes from readers who support us with a regular payment, "
            "usually a few pounds a month. The rest comes from one-off donations and occasional "
            "grants for specific projects, which we list in our annual accounts. No single funder "
            "is allowed to provide more than a tenth of our income.</p>"
            "<p>Supporters do not buy influence over our journalism, and neither does anyone else. "
            "What they buy is a newsroom that does not need to chase clicks or please advertisers "
            "to survive.</p>"
            "<h2>Our commitments</h2>"
            "<ul>"
            "<li>We publish our accounts every year, including what everyone is paid.</li>"
            "<li>The highest-paid member earns no more than twice the lowest-paid.</li>"
            "<li>Our rules contain an asset lock: the co-op cannot be sold off for private profit, "
            "and if it ever closes, what is left goes to another co-operative or community "
            "body.</li>"
            "</ul>"
            "<p>If you would like to help keep independent local journalism going, you can <a "
            'href="https://example.org/support">become a supporter</a>.</p>'
        ),
    },
    {
        "title": "Privacy notice",
        "slug": "privacy",
        "summary": (
            "What personal information The Canary collects, why, how long we keep it and how to "
            "exercise your rights. If you only read, we collect nothing about you."
        ),
        "body": (
            "<p>This notice explains what personal information The Canary Co-operative collects, "
            "why we collect it and what we do with it. The short version: if you only read our "
            "journalism, we collect nothing that identifies you.</p>"
            "<h2>If you are reading</h2>"
            "<ul>"
            "<li>We set no cookies when you read articles or pages.</li>"
            "<li>We load no third-party scripts, trackers, advertising code, social media widgets "
            "or web fonts. Everything you see comes from our own servers.</li>"
            "<li>We count how many times each article is read so we know what is useful. This "
            "counting is done by us, not by an analytics company, and the counts hold no personal "
            "data: no IP addresses, no cookies and no identifiers that could single you out.</li>"
            "</ul>"
            "<h2>If you comment</h2>"
            "<p>To post a comment we ask for a name and an email address. Your name is shown with "
            "your comment. Your email address is never shown publicly; we use it only if we need "
            "to contact you about something you have posted.</p>"
            "<p>To help us deal with spam and abuse, we keep a keyed hash of the IP address a "
            "comment was sent from, never the address itself. The hash is deleted after 30 days. "
            "Forms on the site, such as the comment form, use a strictly necessary security cookie "
            "to protect them from misuse; it holds no information about who you are.</p>"
            "<h2>If you support us</h2>"
            "<p>If you become a supporter, we keep your name, email address and the details of "
            "your support, such as the amount and how often you give. Payments are handled by our "
            "payment provider, which processes your card or bank details on our behalf. We never "
            "see or store your full card number. We use your information to take payments, send "
            "receipts and, if you have asked us to, send you supporter updates.</p>"
            "<h2>Your rights</h2>"
            "<p>You can ask us at any time for a copy of the personal information we hold about "
            "you, in a format you can take elsewhere. You can also ask us to correct it, or to "
            "erase it altogether.</p>"
            '<p>To make a request, <a href="https://example.org/privacy-request">use our privacy '
            "request form</a>. We will reply within one month. If you are unhappy with how we have "
            "handled your information, you have the right to complain to the Information "
            "Commissioner's Office.</p>"
        ),
    },
    {
        "title": "Complaints and corrections policy",
        "slug": "complaints-and-corrections",
        "summary": (
            "How to complain about our journalism, how we handle complaints, and how we correct "
            "our mistakes in public."
        ),
        "body": (
            "<p>We try hard to get things right, and we want to know when we have not. This policy "
            "explains how to complain and what we will do about it.</p>"
            "<h2>How to complain</h2>"
            "<p>You can complain about anything we have published: a factual error, an unfair "
            "report, an intrusion into privacy, or a comment that breaks our rules. Use our <a "
            'href="https://example.org/complaints">complaints form</a> or write to the corrections '
            "editor at the co-op's registered address.</p>"
            "<p>Please tell us:</p>"
            "<ul>"
            "<li>which article or comment you are complaining about, with a link if you can;</li>"
            "<li>what you think is wrong, and what you believe is correct;</li>"
            "<li>any evidence that would help us check.</li>"
            "</ul>"
            "<h2>What happens next</h2>"
            "<ol>"
            "<li>We will acknowledge your complaint within two working days.</li>"
            "<li>A member of staff who did not work on the story will look into it.</li>"
            "<li>We aim to give you a full response within fourteen days, and will explain if it "
            "will take longer.</li>"
            "</ol>"
            "<p>If you are not satisfied with our response, you can ask for it to be reviewed by "
            "our readers' editor, who is elected by the co-op's members and does not report to the "
            "editor.</p>"
            "<h2>Corrections</h2>"
            "<p>When we get a fact wrong, we fix it as quickly as we can and say so. A dated "
            "correction is shown at the foot of the article, explaining what was wrong and what we "
            "changed. We do not quietly rewrite articles to hide mistakes.</p>"
            "<p>Small changes that do not alter the meaning of a story, such as fixing a typing "
            "error, may be made without a note. Anything that changes a fact, a quote or the sense "
            "of a report always gets one.</p>"
        ),
    },
]


# Twelve published, one scheduled (negative hours_ago) and one draft.
ARTICLES = [
    {
        "headline": "Council cabinet backs sale of Eastfold library building despite 3,000-name petition",
        "slug": "eastfold-library-sale-approved",
        "section": "news",
        "authors": ["nia-okafor-reid"],
        "tags": ["Libraries", "Council", "Local democracy", "Planning"],
        "standfirst": (
            "The branch will move into a shared “community hub” in a former bank, with opening "
            "hours cut from 42 to 28 a week. Campaigners say the decision was made before the "
            "consultation had closed."
        ),
        "body": (
            "<p>Harbourside City Council's cabinet has voted to sell the Victorian building that "
            "has housed Eastfold library since 1898, despite a petition signed by more than 3,000 "
            "residents and a packed public gallery.</p>"
            "<p>Under the plan, the library will move into a shared “community hub” on the ground "
            "floor of a former bank on Cope Street, alongside a council customer service desk and "
            "an employment advice point. Its opening hours will fall from 42 a week to 28, and the "
            "children's library will lose its separate room.</p>"
            "<p>The council expects the building to raise around £850,000, which it says will go "
            "towards closing a £14m gap in next year's budget. The building is not listed, and "
            "officers' reports suggest it is likely to be converted into flats.</p>"
            "<blockquote><p>My daughter learned to read in that building. So did I, and so did my "
            "mum. They are selling something that belongs to all of us to patch a hole that will "
            "open up again next year.</p></blockquote>"
            "<p>Jolene Adeyemi-Marsh, who organised the petition, told the meeting that the public "
            "consultation on the move had still been open when officers' recommendation to sell "
            "was published. Council documents show the consultation closed nine days after the "
            "report went to cabinet.</p>"
            "<p>The council leader, Cllr Margaret Ferrier-Oduya, said the decision had been "
            "“painful” but that the council faced “impossible choices” after a decade of falling "
            "funding from central government. “Keeping every building open is not the same as "
            "keeping every service open,” she told the meeting. “We would rather keep librarians "
            "than keep roofs.”</p>"
            "<p>Opposition councillors say they will “call in” the decision, which would send it "
            "to the council's overview and scrutiny committee for review. A call-in must be lodged "
            "within five working days.</p>"
        ),
        "image": {
            "subject": "a story about a library building being sold",
            "caption": "Eastfold library has been in the same building since 1898.",
            "credit": "Canary staff",
        },
        "action_links": [
            ("Tell scrutiny councillors what you think", "https://example.org/eastfold-library/call-in"),
        ],
        "hours_ago": 1.5,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "Gullet Row tenants begin rent strike over damp, mould and years of broken promises",
        "slug": "gullet-row-tenants-begin-rent-strike",
        "section": "news",
        "authors": ["nia-okafor-reid"],
        "tags": ["Housing", "Tenants", "Council"],
        "standfirst": (
            "Residents of 47 flats owned by Wendmouth Homes are withholding rent from today, "
            "saying their landlord has ignored repeated reports of black mould, failed heating and "
            "leaking roofs."
        ),
        "body": (
            "<p>Tenants in more than half of the 86 flats on Gullet Row, the three low-rise blocks "
            "overlooking Harbourside's old coal wharf, stopped paying rent this morning in protest "
            "at what they describe as years of neglect by their landlord, Wendmouth Homes.</p>"
            "<p>Forty-seven households have signed a pledge organised by the Harbourside Tenants' "
            "Union to pay their rent into a separate account held by the union rather than to the "
            "landlord. The money will be released, organisers say, once a schedule of repairs has "
            "been agreed in writing and work has started.</p>"
            "<p>The strike follows a survey carried out by residents in the spring, which found "
            "visible mould in 61 of the 74 flats volunteers were able to visit. Nineteen "
            "households reported a child with asthma or another breathing condition. Twelve said "
            "their heating had failed for more than a week at a time last winter.</p>"
            "<blockquote><p>We are not refusing to pay. The money is there, every penny of it, in "
            "an account we can all see. What we are refusing to do is keep paying for a home that "
            "is making our kids ill.</p></blockquote>"
            "<p>That was Farida Lowther, who has lived on the second floor of Block B for eleven "
            "years and chairs the Gullet Row branch of the union. She showed The Canary a bedroom "
            "where the wallpaper has been stripped back to the plaster to stop mould spreading, "
            "and a bucket she says has sat under the same ceiling leak since February.</p>"
            "<h2>“A managed decline”</h2>"
            "<p>Wendmouth Homes took over the blocks from the council in a stock transfer in 2009, "
            "promising a programme of improvements that residents say was only partly delivered. "
            "Its most recent annual report shows it spent £1.2m on planned maintenance across its "
            "2,300 Harbourside homes last year, down from £2.1m three years earlier. Over the same "
            "period its chief executive's pay rose by 14%.</p>"
            "<p>Dr Imogen Tasker, a housing researcher who has studied stock transfers in coastal "
            "cities, said the pattern was a familiar one. “Spending on repairs is one of the "
            "easiest things to cut quietly,” she said. “Nobody announces it. You just notice, a "
            "few years later, that the blocks are in a managed decline.”</p>"
            "<p>In a statement, a Wendmouth Homes spokesperson said the organisation “takes all "
            "reports of damp and mould seriously” and had “a surveyor scheduled to visit the "
            "Gullet Row blocks in the coming weeks”. The statement warned that withholding rent "
            "“could put tenancies at risk” and urged residents to use the formal complaints "
            "process.</p>"
            "<h2>What happens next</h2>"
            "<p>Tenants say they have already used that process, many of them several times. The "
            "union has compiled a file of 212 repair requests logged since the start of 2022, of "
            "which it says 148 were closed without any work being done. It plans to send the file "
            "to the housing ombudsman and to every member of the council's housing scrutiny "
            "committee.</p>"
            "<p>Cllr Owen Tregarthen, the council's cabinet member for housing, said he had asked "
            "officers to look “urgently” at whether the council could use its enforcement powers "
            "against the landlord. Residents have invited him to an open meeting in the Gullet Row "
            "community room at 11am on Saturday.</p>"
        ),
        "image": {
            "subject": "a story about a rent strike",
            "caption": "Gullet Row tenants are withholding rent from today.",
            "credit": "Harbourside Tenants' Union",
        },
        "action_links": [
            ("Join the Harbourside Tenants' Union", "https://example.org/htu/join"),
            ("Give to the Gullet Row hardship fund", "https://example.org/htu/hardship-fund"),
        ],
        "hours_ago": 3.0,
        "status": "published",
        "comments": "auto",
        "placement": "lead",
    },
    {
        "headline": "Home-care workers vote to strike at the city's largest care contractor",
        "slug": "home-care-workers-vote-to-strike",
        "section": "news",
        "authors": ["tomasz-wrenfield"],
        "tags": ["Trade unions", "Care", "Work", "Health"],
        "standfirst": (
            "Carers employed by Lanyard Home Support say unpaid travel time between visits leaves "
            "many of them earning below the minimum wage. The first walkout could come within a "
            "fortnight."
        ),
        "body": (
            "<p>Home-care workers at Lanyard Home Support, which holds the council's largest "
            "contract for care in people's own homes, have voted by 89% to strike over unpaid "
            "travel time and short-notice changes to their rotas.</p>"
            "<p>The ballot, run by the Independent Care Workers' Union, had a turnout of 71%, "
            "comfortably above the legal threshold. Of the 412 carers balloted, 260 voted for "
            "strike action. Organisers say the first walkout could take place within a fortnight "
            "unless the company returns to talks.</p>"
            "<p>At the heart of the dispute is the time carers spend driving or walking between "
            "visits. Lanyard pays for the time spent in clients' homes but not, workers say, for "
            "the gaps in between. Rotas seen by The Canary show one carer booked for fourteen "
            "visits in a single ten-hour shift, with two hours and forty minutes of travel that "
            "went unpaid.</p>"
            "<blockquote><p>When you divide what I take home by the hours I'm actually out of the "
            "house, it comes to about £8.90 an hour. I love the people I look after. But I'm doing "
            "half my job for free.</p></blockquote>"
            "<p>The carer, who has worked for Lanyard for six years and asked not to be named "
            "because she fears losing shifts, said many colleagues had left for supermarket jobs "
            "that paid more and came with fixed hours.</p>"
            "<p>Lanyard Home Support said it paid “above the legal minimum for all contact time” "
            "and that travel was “factored into” its hourly rates. It said it was “disappointed” "
            "by the ballot result and remained “open to constructive dialogue”.</p>"
            "<p>The union says cover arrangements will protect the most vulnerable clients, with "
            "carers continuing to visit anyone who would otherwise be left without medication or "
            "meals. Cllr Priya Anand-Holt, who chairs the council's adult social care committee, "
            "said she would ask why the contract allowed travel time to go unpaid when it comes up "
            "for renewal next April.</p>"
        ),
        "image": {
            "subject": "a story about home-care workers travelling between visits",
            "caption": "Carers say the time they spend travelling between visits goes unpaid.",
            "credit": "Twitter",
        },
        "action_links": [("Give to the carers' strike fund", "https://example.org/carers-strike-fund")],
        "hours_ago": 9.0,
        "status": "published",
        "comments": "auto",
        "placement": "top",
    },
    {
        "headline": "Saltings marsh would be dredged for marina expansion, council papers reveal",
        "slug": "saltings-marsh-dredged-for-marina-expansion",
        "section": "environment",
        "authors": ["ailsa-penhallow", "nia-okafor-reid"],
        "tags": ["Climate", "Estuary", "Planning", "Flooding"],
        "standfirst": (
            "Documents released under freedom of information show officers discussed removing "
            "nearly a fifth of the Wend estuary's last large saltmarsh to make room for 240 new "
            "berths."
        ),
        "body": (
            "<p>Almost a fifth of the saltmarsh at the mouth of the River Wend could be dredged "
            "away to make room for an expanded marina, according to council documents obtained by "
            "The Canary under the Freedom of Information Act.</p>"
            "<p>The papers, which include minutes of three pre-application meetings between "
            "planning officers and Saltings Marina Ltd, describe a plan to add 240 berths to the "
            "existing 310-berth marina and to build a new breakwater across part of the marsh "
            "known locally as the Saltings. A draft site plan shows around 7.5 hectares of marsh "
            "inside the proposed dredging line.</p>"
            "<p>The Saltings is the last substantial area of saltmarsh left on the Wend after two "
            "centuries of land reclamation for docks, rail yards and housing. It is a wintering "
            "ground for several thousand wading birds and, according to the city's own climate "
            "strategy, one of Harbourside's most important natural defences against tidal "
            "flooding.</p>"
            "<h2>A carbon store and a flood defence</h2>"
            "<p>Saltmarsh is one of the most effective natural stores of carbon for its size, "
            "locking it into waterlogged mud where it can stay for centuries. When marsh is "
            "dredged, much of that carbon can be released. The marsh also slows and absorbs storm "
            "surges, reducing the height of the water that reaches the sea walls at Quayhead and "
            "Northbank.</p>"
            "<blockquote><p>You cannot declare a climate emergency on a Tuesday and quietly plan "
            "to dig up your best flood defence on a Thursday. The marsh is doing a job for this "
            "city for free, on every single tide.</p></blockquote>"
            "<p>That was Hamid Castellane, a retired estuary warden who has counted birds on the "
            "Saltings for more than thirty years and now volunteers with the Friends of the Wend. "
            "He said the group had not been told about the meetings and learned of them only "
            "through The Canary's request.</p>"
            "<p>The minutes record one officer noting that the scheme would “require careful "
            "handling” given the council's climate commitments, and suggesting that the marina "
            "company commission its own ecological survey “at an early stage to shape the "
            "narrative”. A later note refers to “offsetting” the lost marsh by creating new "
            "habitat elsewhere on the estuary, though no site is named.</p>"
            "<h2>“No decision has been made”</h2>"
            "<p>A council spokesperson said pre-application discussions were “a routine and "
            "confidential part of the planning process” and that “no decision has been made and no "
            "application has been submitted”. Any application would be subject to public "
            "consultation and a full environmental impact assessment, the spokesperson added.</p>"
            "<p>Saltings Marina Ltd said the expansion would bring “much-needed investment and "
            "jobs” to the waterfront and that it was “committed to delivering a net gain for "
            "nature”. It did not respond to questions about the size of the area to be dredged.</p>"
            "<p>The Friends of the Wend have called a public meeting at Northbank Methodist Hall "
            "next Thursday and are asking residents to write to the planning committee before any "
            "application is lodged. Their petition had gathered more than 1,900 signatures by this "
            "morning.</p>"
        ),
        "image": {
            "subject": "a story about saltmarsh at risk from dredging",
            "caption": "The Saltings is the last large saltmarsh on the Wend.",
            "credit": "Wikimedia Commons",
        },
        "action_links": [
            ("Sign the Friends of the Wend petition", "https://example.org/save-the-saltings"),
            ("Write to the planning committee", "https://example.org/save-the-saltings/write"),
        ],
        "hours_ago": 20.0,
        "status": "published",
        "comments": "open",
        "placement": "top",
    },
    {
        "headline": "A city that cannot house its nurses cannot call itself a city",
        "slug": "a-city-that-cannot-house-its-nurses",
        "section": "opinion",
        "authors": ["bridie-mccallister"],
        "tags": ["Housing", "Care", "Work"],
        "standfirst": (
            "Harbourside's hospital keeps recruiting from abroad to fill posts that local people "
            "would take if they could afford to live here. The answer is not a discount scheme, it "
            "is homes."
        ),
        "body": (
            "<p>Last month Harbourside General advertised 140 nursing vacancies. By my count, it "
            "is the fourth time in two years that the hospital trust has run a recruitment drive "
            "overseas, bringing in staff who are then left to find a room in a city where the "
            "average rent for a two-bedroom flat has risen by 38% in five years.</p>"
            "<p>I spent nineteen years as a care worker before I started writing, and I have lost "
            "count of the colleagues who left not because they stopped loving the work but because "
            "they could no longer afford to live within a bus ride of it. The ones who stayed "
            "commute from Millbrook or further, on buses that stop running before the night shift "
            "ends.</p>"
            "<p>The council's answer so far has been a “key worker discount” on a handful of new "
            "flats at Meridian Quay, set at 80% of the market rent. Eighty per cent of an "
            "unaffordable number is still an unaffordable number. On a newly qualified nurse's "
            "salary, one of those flats would swallow well over half of take-home pay.</p>"
            "<h2>What would actually work</h2>"
            "<p>There is nothing mysterious about the alternative. Harbourside owns land. It has a "
            "housing company that it set up six years ago and has barely used. It could build "
            "homes for social rent, let them on secure tenancies and give priority to the people "
            "who keep this city running: nurses, carers, bus drivers, cleaners, teaching "
            "assistants.</p>"
            "<p>The usual objection is cost. But the city already pays, just in ways that are "
            "harder to see: in agency staff brought in at twice the rate, in hospital beds that "
            "cannot be opened because there is nobody to staff them, in care packages that "
            "collapse because the carer could not get there in time.</p>"
            "<blockquote><p>We're not asking for favours. We're asking to be able to live near the "
            "people we look after.</p></blockquote>"
            "<p>That is how Grace Mbatha-Holm, a ward sister at the General, put it to me when I "
            "asked what she would say to the council. It is hard to think of a more reasonable "
            "request, or one that a city should be more ashamed to refuse.</p>"
        ),
        "image": None,
        "action_links": [],
        "hours_ago": 45.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "New play at the Ropeworks puts the 1974 dock strike back on stage",
        "slug": "ropeworks-dock-strike-play",
        "section": "culture",
        "authors": ["dev-ramasamy"],
        "tags": ["Arts", "Trade unions", "Heritage"],
        "standfirst": (
            "Written with former dockers and their families, Slack Water is a funny, furious "
            "account of the nine weeks that changed Harbourside's waterfront for good."
        ),
        "body": (
            "<p>For nine weeks in the winter of 1974, nothing moved on Harbourside's docks. More "
            "than 2,000 dockers walked out after the port company tried to bring back casual "
            "hiring by the back door, and the strike that followed split families, bankrupted "
            "shops on Quayhead and, in the end, won.</p>"
            "<p>Fifty years on, the Ropeworks Theatre is telling that story in <em>Slack "
            "Water</em>, a new play by the Harbourside-born writer Cerys Obuya-Flint, which opened "
            "this week to a standing ovation from an audience that included more than a dozen men "
            "who stood on the picket line.</p>"
            "<p>Obuya-Flint spent eighteen months interviewing former dockers, their partners and "
            "their children, and the play is built almost entirely from their words. Its centre is "
            "not the strike committee but a kitchen on Tanner's Hill, where a docker's wife, "
            "Maureen, runs the hardship fund out of a biscuit tin and slowly becomes the most "
            "formidable organiser in the city.</p>"
            "<blockquote><p>Everybody remembers the men on the gate. Nobody remembers who fed "
            "them. I wanted to write about the people who kept the strike alive when the money ran "
            "out.</p></blockquote>"
            "<p>The writer said the idea came from her grandmother, who kept a notebook of every "
            "donation the fund received. That notebook, now held in the city archive, sits in a "
            "glass case in the foyer for the run.</p>"
            "<p>Clare Duggan-Roe is superb as Maureen, dry, exhausted and very funny, and Idris "
            "Kenwood's production makes clever use of the Ropeworks' long, narrow hall, seating "
            "the audience on either side of a strip of stage that becomes a quay, a kitchen and a "
            "courtroom. Parts of the second half drag, with one union meeting too many, but the "
            "final scene, set in the present day on the redeveloped waterfront, lands like a "
            "punch.</p>"
            "<p><em>Slack Water</em> runs at the Ropeworks until the end of next month. A third of "
            "the seats for every performance are priced at £8, and the theatre is offering free "
            "tickets to anyone who worked on the docks or whose family did.</p>"
        ),
        "image": {
            "subject": "a review of a play about a dock strike",
            "caption": "Slack Water opened at the Ropeworks this week.",
            "credit": "Twitter",
        },
        "action_links": [("Book tickets for Slack Water", "https://example.com/ropeworks/slack-water")],
        "hours_ago": 70.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "Residents map the flooding hotspots the council's own model missed",
        "slug": "residents-map-flooding-hotspots",
        "section": "environment",
        "authors": ["ailsa-penhallow"],
        "tags": ["Flooding", "Climate", "Local democracy", "Estuary"],
        "standfirst": (
            "After three floods in eighteen months, people in Millbrook have built their own map "
            "of where the water goes. It shows dozens of streets that the official flood model "
            "says are at low risk."
        ),
        "body": (
            "<p>When the water came up through the drains on Kiln Lane for the third time in "
            "eighteen months, Sunita Drewe stopped waiting for someone else to write it down. She "
            "set up a shared spreadsheet, put a note through every door on her street and asked "
            "her neighbours to record each time their homes, gardens or roads flooded, with a "
            "photograph and the time.</p>"
            "<p>Eight months later the Millbrook Flood Map holds 1,134 reports from 412 addresses "
            "across the ward. Volunteers from the Harbourside Tenants' Union and a group of "
            "students from the city's university have turned them into an interactive map, which "
            "The Canary has seen ahead of its public launch.</p>"
            "<p>It tells a very different story from the council's surface water model, which is "
            "used to decide where flood defence money is spent. Of the 58 streets where residents "
            "have recorded flooding more than twice, 37 are classed in the official model as being "
            "at “low” or “very low” risk.</p>"
            "<h2>Where the water goes</h2>"
            "<p>The difference appears to come down to what lies beneath the ward. Much of "
            "Millbrook was built in the 1930s over a network of small brooks that were culverted, "
            "or forced into underground pipes, to make room for housing. Residents' reports "
            "cluster tightly along the line of those old streams, which appear on Victorian maps "
            "but not, according to the students who analysed the data, in the model's drainage "
            "layer.</p>"
            "<blockquote><p>The model isn't wrong because anyone was careless. It's wrong because "
            "nobody asked the people who mop up afterwards. There are forty years of knowledge on "
            "this estate about where the water goes, and none of it was in the "
            "computer.</p></blockquote>"
            "<p>Drewe, who now coordinates the project, said the map had changed how neighbours "
            "talked to each other. “People used to think it was just their house, that they'd done "
            "something wrong,” she said. “Now they can see it's the whole street, and it's the "
            "same streets every time.”</p>"
            "<p>Dr Kwame Ashdown-Pryce, a hydrologist at the university who advised the students, "
            "said community data of this kind was “messy but extremely valuable”, particularly in "
            "towns and cities, where the flow of surface water is shaped by kerbs, walls and "
            "blocked gullies that no model can fully capture.</p>"
            "<h2>A test for the next budget</h2>"
            "<p>The council's flood risk team said it welcomed “any information that helps us "
            "understand local flooding” and would meet the group next month. A spokesperson said "
            "the surface water model was due for review in two years' time, but that any changes "
            "would depend on funding.</p>"
            "<p>Campaigners want the map to be used sooner. They are asking councillors to commit, "
            "in next year's budget, to surveying the culverts under the 37 streets and to fitting "
            "flood protection, such as flood doors and non-return valves, to the homes that have "
            "flooded most often.</p>"
            "<p>The map goes live on Saturday, and residents anywhere in Harbourside will be able "
            "to add their own reports.</p>"
        ),
        "image": {
            "subject": "a story about residents mapping floods",
            "caption": "Residents have logged more than 1,100 flood reports in Millbrook.",
            "credit": "Canary staff",
        },
        "action_links": [
            ("Add a report to the flood map", "https://example.org/millbrook-flood-map"),
            (
                "Ask your councillor to back a culvert survey",
                "https://example.org/millbrook-flood-map/councillors",
            ),
        ],
        "hours_ago": 96.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "Delivery riders win holiday pay after two-year tribunal fight",
        "slug": "delivery-riders-win-holiday-pay",
        "section": "news",
        "authors": ["tomasz-wrenfield"],
        "tags": ["Work", "Trade unions", "Courts"],
        "standfirst": (
            "An employment tribunal has ruled that 31 couriers for the delivery app Gullrun were "
            "workers, not self-employed contractors, and are owed holiday pay. The company is "
            "considering an appeal."
        ),
        "body": (
            "<p>Thirty-one food delivery riders who worked for the Harbourside-based app Gullrun "
            "have won their claim for holiday pay after an employment tribunal ruled that they "
            "were workers, not independent contractors.</p>"
            "<p>The judgment, handed down this week at the tribunal hearing centre in Quayhead, "
            "found that the company controlled the riders' work so closely, through pay rates it "
            "set alone, customer ratings and the threat of being “deactivated”, that they could "
            "not be described as running businesses of their own.</p>"
            "<p>The riders were supported by the Couriers' and Riders' Guild, a small independent "
            "union founded in a Quayhead café three years ago. They argued that they had no real "
            "choice over which jobs to take and were penalised by the app's algorithm if they "
            "turned too many down.</p>"
            "<blockquote><p>They told us we were our own bosses. My own boss never once let me set "
            "my own price, or take a day off without my rating dropping. Today a judge said out "
            "loud what every rider already knew.</p></blockquote>"
            "<p>Abdi Warsame-Kerr, one of the lead claimants, said the group had kept going "
            "through two postponed hearings and a year in which several of them lost access to the "
            "app. The guild estimates that each claimant is owed between £1,100 and £3,400, "
            "depending on how long they worked.</p>"
            "<p>Gullrun said it was “disappointed” with a ruling that “does not reflect the "
            "flexibility our couriers value”, and that it was considering an appeal. Because the "
            "case may continue, comments on this article are closed.</p>"
            "<p>The guild says the ruling should apply to around 600 riders who have worked for "
            "the app in the city, and is urging them to get in touch.</p>"
        ),
        "image": {
            "subject": "a story about delivery riders winning a legal case",
            "caption": "The guild says around 600 riders could benefit from the ruling.",
            "credit": "Twitter",
        },
        "action_links": [],
        "hours_ago": 130.0,
        "status": "published",
        "comments": "closed",
        "placement": "",
    },
    {
        "headline": "Participatory budgeting should start with the buses, not the benches",
        "slug": "participatory-budgeting-buses",
        "section": "opinion",
        "authors": ["bridie-mccallister"],
        "tags": ["Transport", "Local democracy", "Council"],
        "standfirst": (
            "Harbourside wants to let residents decide how to spend £500,000. It should hand them "
            "the one service that almost everyone uses and almost nobody is asked about."
        ),
        "body": (
            "<p>Next spring, for the first time, Harbourside City Council will let residents vote "
            "directly on how to spend a slice of its budget. The pot is £500,000, spread across "
            "the city's 18 wards, and the council has suggested it could go on park benches, "
            "planters and “community events”.</p>"
            "<p>There is nothing wrong with benches. But if the council is serious about handing "
            "people real power, it should start with something that shapes more lives in this city "
            "than any planter: the bus network.</p>"
            "<p>Since the council stopped running its own supported routes and contracted them "
            "out, the number of bus miles run in Harbourside has fallen by almost a quarter. "
            "Evening services to Millbrook and Eastfold stop before 8pm. The 14, which once linked "
            "the estates on Tanner's Hill to the General hospital, now runs once an hour and not "
            "at all on Sundays.</p>"
            "<p>Those decisions were made by operators and a handful of officers, after "
            "consultations that few people knew about. Yet the people who rely on the buses know "
            "exactly what is wrong with them. Ask anyone at the stop on Cope Street at 7am and you "
            "will get a more accurate picture of the network than any timetable review.</p>"
            "<h2>Start small, but start with something that matters</h2>"
            "<p>A participatory budget for transport would not need to run the whole network. It "
            "could begin with the council's £2.3m annual budget for supported routes: the services "
            "that no operator would run for profit but that thousands of people depend on. "
            "Residents could decide, ward by ward and then together, which routes to protect, "
            "which to extend and what to trade off.</p>"
            "<p>Cities elsewhere in Europe have tried versions of this for years, and the lesson "
            "is consistent. When people are trusted with real decisions, more of them take part, "
            "and the decisions are often better. When they are given trivia, they stay at home, "
            "and the council concludes that nobody was interested.</p>"
            "<p>Harbourside has a chance to do this properly. It should not waste it on "
            "benches.</p>"
        ),
        "image": None,
        "action_links": [
            ("Respond to the participatory budgeting consultation", "https://example.org/harbourside-pb"),
        ],
        "hours_ago": 160.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "The community radio station broadcasting from a former bank vault",
        "slug": "vault-fm-community-radio",
        "section": "culture",
        "authors": ["dev-ramasamy"],
        "tags": ["Arts", "Community", "Heritage"],
        "standfirst": (
            "Vault FM started with two turntables and a borrowed licence. Six years on it has 60 "
            "volunteer presenters, programmes in nine languages and a waiting list for its "
            "training course."
        ),
        "body": (
            "<p>The door to Vault FM is eighteen inches thick. It once protected the savings of "
            "Northbank's shopkeepers; now it is propped open with a fire extinguisher so that "
            "presenters can come and go from the tiny studio built inside the strongroom of what "
            "was, until 2016, a high street bank.</p>"
            "<p>The station went on air in 2019 with two turntables, a second-hand mixing desk and "
            "a temporary licence. Today it broadcasts eighteen hours a day to north Harbourside "
            "and online, with 60 volunteer presenters and programmes in nine languages, from "
            "Somali and Polish to Tamil and Cornish.</p>"
            "<p>Its schedule is gloriously unpredictable. A weekday might start with a phone-in "
            "about bin collections, move through an hour of Congolese rumba and a children's story "
            "hour recorded at the primary school down the road, and end with a late-night show of "
            "sea shanties and ambient music.</p>"
            "<blockquote><p>Commercial radio tells you what the city sounds like from the outside. "
            "We wanted a station where the city could hear itself. If you live in Northbank, "
            "sooner or later you will hear your neighbour on air, whether you like it or "
            "not.</p></blockquote>"
            "<p>That is Lowri Achterberg-Nunn, the station manager, who ran Vault FM from her "
            "front room for its first year. The station is a community benefit society: listeners "
            "can become members for £1, and most of its £48,000 annual budget comes from members, "
            "small grants and the odd fundraising gig.</p>"
            "<p>Its training course, which teaches anyone over 14 how to make a radio programme, "
            "has a waiting list of more than 80 people. Several graduates have gone on to jobs in "
            "broadcasting; more have simply gone on to make more radio, which Achterberg-Nunn says "
            "is the point.</p>"
            "<p>The biggest threat is the building. The owners have applied to convert the upper "
            "floors into flats, and the station's lease ends in eighteen months. The team hopes "
            "for a new deal, but has started looking for somewhere else with thick walls and cheap "
            "rent.</p>"
        ),
        "image": {
            "subject": "a story about a community radio station in a bank vault",
            "caption": "Vault FM's studio is built inside an old strongroom.",
            "credit": "Canary staff",
        },
        "action_links": [("Become a Vault FM member", "https://example.org/vault-fm/join")],
        "hours_ago": 210.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "Heat pumps for 400 council homes delayed after contractor pulls out",
        "slug": "tanners-hill-heat-pumps-delayed",
        "section": "environment",
        "authors": ["ailsa-penhallow"],
        "tags": ["Energy", "Housing", "Climate", "Tenants"],
        "standfirst": (
            "Tenants on the Tanner's Hill estate were promised warmer homes and lower bills by "
            "this winter. Now the council says work will not restart until next year at the "
            "earliest."
        ),
        "body": (
            "<p>A scheme to fit heat pumps and insulation to 400 council homes on the Tanner's "
            "Hill estate has been delayed by at least a year after the main contractor withdrew, "
            "The Canary can reveal.</p>"
            "<p>Holloway and Pike Building Services, which won the £9.6m contract last autumn, "
            "told the council in a letter seen by The Canary that it could no longer deliver the "
            "work at the agreed price because of rising costs for equipment and labour. Only 23 "
            "homes had been completed when the company left the site.</p>"
            "<p>The retrofit was the centrepiece of the council's plan to cut carbon emissions "
            "from its own housing by 2030, and was partly paid for with a government grant that "
            "must be spent by the end of the next financial year. Officers are now trying to find "
            "out whether that deadline can be extended.</p>"
            "<blockquote><p>They put a sticker on the door saying we were next, and then nothing. "
            "I've got a newborn and a flat that's 14 degrees in the morning. Another winter like "
            "this isn't a delay, it's a hardship.</p></blockquote>"
            "<p>Marguerite Osei-Lindqvist, a tenant, said residents had been told to expect the "
            "work before the autumn, and some had already cleared cupboards and lofts for the "
            "installers. Tenants whose homes were finished say their bills have fallen and their "
            "flats are noticeably warmer, which has made the wait harder for their neighbours.</p>"
            "<p>Cllr Owen Tregarthen, the cabinet member for housing, said the council was "
            "“bitterly disappointed” and was looking at whether it could employ installers "
            "directly through its own building services team rather than putting the work out to "
            "tender again. “We will not let this scheme die,” he said.</p>"
            "<p>Energy campaigners said the episode showed the risk of relying on a single large "
            "contractor. Harbourside Community Energy, a local co-operative, has offered to help "
            "the council train local installers so that the city is not left in the same position "
            "again.</p>"
        ),
        "image": {
            "subject": "a story about delayed heat pump installations",
            "caption": "Only 23 of the 400 homes were finished before the contractor left.",
            "credit": "Wikimedia Commons",
        },
        "action_links": [],
        "hours_ago": 265.0,
        "status": "published",
        "comments": "closed",
        "placement": "",
    },
    {
        "headline": "Boundary review could cut Harbourside's councillors from 54 to 45",
        "slug": "ward-boundary-review-councillors",
        "section": "news",
        "authors": ["nia-okafor-reid"],
        "tags": ["Local democracy", "Council"],
        "standfirst": (
            "An independent review of ward boundaries proposes fewer, larger wards. Community "
            "groups in Northbank and Eastfold warn that their neighbourhoods would be split in two."
        ),
        "body": (
            "<p>Harbourside could lose nine of its 54 councillors under draft proposals for new "
            "ward boundaries, published this week by the independent body that reviews local "
            "electoral arrangements.</p>"
            "<p>The draft plan would replace the city's 18 three-member wards with 15, each "
            "containing around 12,500 voters. The reviewers say the change would even out the "
            "number of electors each councillor represents, which currently ranges from about "
            "3,100 in Quayhead to more than 4,400 in Millbrook.</p>"
            "<p>But the new lines have alarmed community groups in two parts of the city. In "
            "Northbank, the proposed boundary would run down the middle of Fenwick Road, splitting "
            "the high street between two wards. In Eastfold, the Lantern estate would be joined to "
            "a largely rural ward stretching out beyond the ring road.</p>"
            "<blockquote><p>We are one community with one high street, one school and one set of "
            "problems. Draw a line down the middle and you give us two sets of councillors who "
            "each only half care about us.</p></blockquote>"
            "<p>Pauline Wexcombe-Adu, secretary of the Northbank Residents' Association, said the "
            "group would submit an alternative map. Councillors from several parties have also "
            "warned that fewer councillors would mean heavier caseloads at a time when more "
            "residents are asking for help with housing and benefits.</p>"
            "<p>The consultation on the draft proposals runs for ten weeks. Anyone can respond, "
            "and the reviewers say they give most weight to evidence about community identity and "
            "local ties, rather than to the number of responses received.</p>"
        ),
        "image": {
            "subject": "a story about redrawing ward boundaries",
            "caption": "The draft map would split Northbank's high street between two wards.",
            "credit": "Canary staff",
        },
        "action_links": [("Respond to the boundary review", "https://example.org/boundary-review")],
        "hours_ago": 390.0,
        "status": "published",
        "comments": "closed",
        "placement": "",
    },
    {
        "headline": "What the Harbourside Festival owes the neighbourhoods that host it",
        "slug": "what-harbourside-festival-owes",
        "section": "opinion",
        "authors": ["dev-ramasamy"],
        "tags": ["Arts", "Community", "Council"],
        "standfirst": (
            "The festival brings 90,000 visitors and millions of pounds into the city every "
            "August. Very little of it reaches the streets that put up with the noise."
        ),
        "body": (
            "<p>Every August the Harbourside Festival takes over the waterfront for ten days. "
            "Around 90,000 people come through the gates, the hotels fill up, and the council's "
            "own estimate puts the boost to the local economy at more than £11m. By any measure, "
            "it is a success.</p>"
            "<p>But walk five minutes inland from the main stage, onto the streets of Saltings and "
            "Quayhead, and the picture changes. Residents live with the noise until after 11pm, "
            "the road closures and the litter. Many of them have never been inside, because a day "
            "ticket now costs £64.</p>"
            "<p>The festival is run by a private company on council land, under a licence that was "
            "last renegotiated eight years ago. That licence asks for a fee and a waste management "
            "plan. It asks for nothing at all for the neighbourhoods around the site.</p>"
            "<p>It does not have to be this way. The licence could require a fixed number of free "
            "or £5 tickets for residents of the surrounding wards, a share of stage time for local "
            "artists, and a payment into a community fund that those residents control. None of "
            "this is radical, and some festivals already do it voluntarily.</p>"
            "<p>The licence comes up for renewal next year. Councillors should use it. A festival "
            "that takes its name from the city ought to give something back to the people who live "
            "here.</p>"
        ),
        "image": None,
        "action_links": [],
        "hours_ago": 5.0,
        "status": "draft",
        "comments": "auto",
        "placement": "",
    },
    {
        "headline": "Council budget explained: what next year's spending plans mean for your street",
        "slug": "council-budget-explained",
        "section": "news",
        "authors": ["nia-okafor-reid", "tomasz-wrenfield"],
        "tags": ["Council", "Local democracy", "Housing", "Libraries"],
        "standfirst": (
            "Council tax is set to rise by 4.99%, two children's centres face closure and the "
            "repairs budget is frozen. Here is what is in the draft budget, and how to have your "
            "say before the vote."
        ),
        "body": (
            "<p>Harbourside City Council has published its draft budget for next year, setting out "
            "how it plans to close a £14m gap between what it expects to spend and what it expects "
            "to receive.</p>"
            "<p>The Canary has read all 212 pages so that you don't have to. Here are the main "
            "points, and what they could mean where you live.</p>"
            "<h2>Council tax and charges</h2>"
            "<ul>"
            "<li>Council tax will rise by 4.99%, the most allowed without a local referendum. For "
            "a Band B home, that is around £77 a year.</li>"
            "<li>The charge for garden waste collection rises from £48 to £56.</li>"
            "<li>Residents' parking permits will cost £10 more in most zones.</li>"
            "</ul>"
            "<p>The council says the council tax rise will raise about £5.2m, leaving almost £9m "
            "to be found through savings and one-off measures.</p>"
            "<h2>What is being cut</h2>"
            "<p>The biggest savings come from adult social care, where the council plans to save "
            "£4.1m, largely by “reviewing” care packages. Disability campaigners warn that this is "
            "likely to mean fewer hours of support for people who already receive it.</p>"
            "<p>Two of the city's seven children's centres, in Millbrook and Saltings, would "
            "close, with their services moved to the remaining five. The sale of the Eastfold "
            "library building, recently approved by cabinet, is counted as a one-off saving, and "
            "the budget for council housing repairs is frozen at this year's level.</p>"
            "<h2>What is protected</h2>"
            "<p>The council says it will protect its homelessness prevention budget and keep every "
            "branch library open, although some will move to new buildings. It also plans to "
            "borrow £6m to restart the Tanner's Hill heat pump scheme, which stalled when its "
            "contractor pulled out.</p>"
            "<blockquote><p>Every option in this budget is a bad one. Our job is to choose the "
            "least bad and to be honest about it. We are asking residents to tell us where we have "
            "got it wrong.</p></blockquote>"
            "<p>That was the council leader, Cllr Margaret Ferrier-Oduya. Opposition groups and "
            "the unions representing council staff say they will publish alternative proposals "
            "before the full council vote in February.</p>"
            "<h2>How to have your say</h2>"
            "<p>The consultation is open for six weeks. You can respond online, at any library, or "
            "at one of four public meetings, in Northbank, Eastfold, Millbrook and Quayhead.</p>"
            "<p>The Canary will be at every meeting. If there is something in the budget you think "
            "we should look into, tell us.</p>"
        ),
        "image": {
            "subject": "a story explaining the council budget",
            "caption": "The council must close a £14m gap in next year's budget.",
            "credit": "Canary staff",
        },
        "action_links": [
            ("Respond to the budget consultation", "https://example.org/harbourside-budget"),
            ("Tell us what to investigate", "https://example.org/canary/tips"),
        ],
        "hours_ago": -26.0,
        "status": "published",
        "comments": "auto",
        "placement": "",
    },
]


# Approved reader comments; reply_to is the index of the comment answered.
COMMENTS = [
    {
        "article": "gullet-row-tenants-begin-rent-strike",
        "name": "Dennis Farraday",
        "email": "dennis.farraday@example.com",
        "body": (
            "I lived on Gullet Row until 2019 and the mould in Block C was just as bad then. Good "
            "luck to everyone taking part. You shouldn't have had to do this."
        ),
        "hours_after": 0.8,
        "reply_to": None,
    },
    {
        "article": "gullet-row-tenants-begin-rent-strike",
        "name": "Marisol Keane",
        "email": "marisol.keane@example.com",
        "body": (
            "Does withholding rent put people at risk of eviction? Genuinely asking, as my "
            "landlord is much the same and I'd want to know before getting involved."
        ),
        "hours_after": 1.4,
        "reply_to": None,
    },
    {
        "article": "gullet-row-tenants-begin-rent-strike",
        "name": "Farida L.",
        "email": "farida.l@example.com",
        "body": (
            "Good question. The rent is kept in a separate account we can all see, and the union "
            "has a housing solicitor advising us.\nCome to the open meeting on Saturday and we can "
            "talk it through."
        ),
        "hours_after": 2.1,
        "reply_to": 1,
    },
    {
        "article": "home-care-workers-vote-to-strike",
        "name": "Yvonne Pettigrew",
        "email": "yvonne.pettigrew@example.com",
        "body": (
            "My mum has carers from Lanyard four times a day. They are wonderful and they are "
            "always rushing. I'd support them striking if it means they finally get paid properly."
        ),
        "hours_after": 3.5,
        "reply_to": None,
    },
    {
        "article": "home-care-workers-vote-to-strike",
        "name": "Gareth Lyle",
        "email": "gareth.lyle@example.com",
        "body": (
            "Unpaid travel time is a problem across the whole sector, not just this company. The "
            "council writes the contracts, so the council can fix it."
        ),
        "hours_after": 5.0,
        "reply_to": None,
    },
    {
        "article": "saltings-marsh-dredged-for-marina-expansion",
        "name": "Rosalind Tew",
        "email": "rosalind.tew@example.com",
        "body": (
            "I walked along the Saltings at dawn last winter and counted more than 300 curlews. "
            "Where exactly is this “new habitat elsewhere” supposed to go?"
        ),
        "hours_after": 2.0,
        "reply_to": None,
    },
    {
        "article": "saltings-marsh-dredged-for-marina-expansion",
        "name": "Ben Okonkwo-Hale",
        "email": "ben.okonkwo-hale@example.com",
        "body": (
            "The marina does bring jobs, though. I'd like to see the actual numbers before "
            "deciding, rather than assuming it's all bad."
        ),
        "hours_after": 4.5,
        "reply_to": None,
    },
    {
        "article": "saltings-marsh-dredged-for-marina-expansion",
        "name": "Rosalind Tew",
        "email": "rosalind.tew@example.com",
        "body": (
            "Fair enough, but then the numbers should include what the marsh saves us in flood "
            "defence too. Nobody is putting that in a press release."
        ),
        "hours_after": 6.0,
        "reply_to": 6,
    },
    {
        "article": "saltings-marsh-dredged-for-marina-expansion",
        "name": "Kit Armitage",
        "email": "kit.armitage@example.com",
        "body": "Signed the petition. Is there any way to read the full documents from the FOI request?",
        "hours_after": 9.0,
        "reply_to": None,
    },
    {
        "article": "a-city-that-cannot-house-its-nurses",
        "name": "Aoife Brennan-Shaw",
        "email": "aoife.brennan-shaw@example.com",
        "body": (
            "Nurse at the General here. I share a three-bed with two colleagues and we're all in "
            "our thirties.\nEvery word of this is true."
        ),
        "hours_after": 6.0,
        "reply_to": None,
    },
    {
        "article": "a-city-that-cannot-house-its-nurses",
        "name": "Leonard Pask",
        "email": "leonard.pask@example.com",
        "body": (
            "The point about the council's housing company is a good one. Why set it up if it "
            "isn't going to build anything?"
        ),
        "hours_after": 20.0,
        "reply_to": None,
    },
    {
        "article": "participatory-budgeting-buses",
        "name": "Samira Doyle-Achebe",
        "email": "samira.doyle-achebe@example.com",
        "body": (
            "The 14 used to be how I got to my hospital appointments. Now I take a taxi I can't "
            "afford. Put the buses to a vote and see how many people turn up."
        ),
        "hours_after": 12.0,
        "reply_to": None,
    },
    {
        "article": "participatory-budgeting-buses",
        "name": "Tom Rennard",
        "email": "tom.rennard@example.com",
        "body": (
            "Same with the 22 to Eastfold. I'd take part in a vote on buses in a heartbeat.\n"
            "Benches, less so."
        ),
        "hours_after": 30.0,
        "reply_to": 11,
    },
]
