"""Word lists the sourcing rules read: cue verbs, source nouns, and their classes.

Kept as plain Python data (not a model) so an editor can read why a word counts
and a developer can tune a list against the PolNeAR dev set without retraining.
Lemmas are spaCy's (``said`` -> ``say``).
"""

from __future__ import annotations

# Verbs that report speech or writing. "speech" cues are what a reader means by
# "who said it"; the accuracy benchmark reports their recall on its own.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell report announce add claim state write ask explain confirm note warn reveal
    insist argue acknowledge admit deny declare tweet reply respond comment stress
    emphasize emphasise mention testify allege assert contend predict promise pledge vow
    urge quip joke complain concede disclose remark recall describe suggest continue
    cite reiterate repeat retort counter boast brag accuse criticize criticise blast
    charge demand propose recommend shout whisper exclaim post answer inform concur echo
    caution observe maintain question wonder proclaim announce assure brief
    lament muse scoff snap chide slam praise hail thank apologize apologise
    tout underscore highlight signal hint threaten vow predict caution advise
    acknowledge point call insist recount relate characterize characterise dub label
    rail attack decry condemn denounce lambaste mock ridicule defend speak talk
    """.split()
)

# Verbs of thought, intention and evidence: PolNeAR counts them as attribution
# cues ("believes", "plans", "a poll shows"), editors mostly do not.
OTHER_VERBS: frozenset[str] = frozenset(
    """
    believe think want plan hope expect fear know feel worry doubt consider learn find
    show understand decide intend seek wish support oppose refuse reject favor favour
    suspect assume estimate agree realize realise recognize recognise conclude determine
    guess imagine indicate demonstrate prove envision acknowledge predict project
    anticipate forecast figure calculate suppose trust regret see view
    """.split()
)

CUE_VERBS: frozenset[str] = SPEECH_VERBS | OTHER_VERBS

# Nouns that attribute when a that-clause follows: "Trump's claim that ...".
CUE_NOUNS: frozenset[str] = frozenset(
    """
    claim assertion allegation statement report argument suggestion warning promise
    belief view fear hope announcement contention insistence accusation charge
    admission acknowledgment acknowledgement revelation prediction
    """.split()
)

# Cue verbs whose direct object is the person addressed, not the content:
# "told reporters", "warned allies that ...".
LISTENER_OBJECT_VERBS: frozenset[str] = frozenset(
    "tell inform ask warn remind assure brief urge advise thank caution".split()
)

# Verbs whose content is an infinitive clause ("plans to run", "urged him to quit").
XCOMP_CONTENT_VERBS: frozenset[str] = frozenset(
    """
    want plan hope expect intend seek wish promise pledge vow threaten refuse decide
    agree urge ask call tell warn advise aim propose demand offer prefer decline
    """.split()
)

# Verbs whose direct object can be the attributed content ("announced a plan",
# "cited the figures", "criticized the ruling").
OBJECT_CONTENT_VERBS: frozenset[str] = frozenset(
    """
    announce cite confirm deny reveal claim report describe mention propose recommend
    demand criticize criticise blast condemn denounce praise support oppose reject
    favor favour predict promise pledge question dispute acknowledge admit disclose
    estimate tout highlight underscore defend attack decry lambaste mock ridicule slam
    hail signal indicate show find want call characterize characterise dub label
    forecast project stress emphasize emphasise note recall accuse
    """.split()
)

# Verbs that take their content through a preposition: "called for X",
# "pointed to X", "railed against X".
PREP_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "point": frozenset({"to"}),
    "rail": frozenset({"against"}),
    "warn": frozenset({"of", "about", "against"}),
    "complain": frozenset({"about", "of"}),
    "speak": frozenset({"of", "about", "against"}),  # not "on": "spoke on condition of anonymity"
    "talk": frozenset({"about", "of"}),
    "testify": frozenset({"about", "on"}),
}

# Nouns whose presence makes an unnamed source anonymous when no name is given.
ANONYMOUS_HEADS: frozenset[str] = frozenset(
    """
    source sources official officials person people individual individuals aide aides
    insider insiders adviser advisers advisor advisors diplomat diplomats officer officers
    staffer staffers employee employees member members executive executives lawmaker
    lawmakers operative operatives ally allies associate associates friend friends
    confidant confidants expert experts analyst analysts critic critics observer observers
    resident residents witness witnesses investigator investigators agent agents
    strategist strategists supporter supporters opponent opponents worker workers
    someone one others some many several few
    """.split()
)

# Phrases that mark a source as deliberately unnamed, whatever its head noun.
ANONYMITY_PHRASES: tuple[str, ...] = (
    "familiar with",
    "condition of anonymity",
    "privy to",
    "not authorized to",
    "not authorised to",
    "asked not to be",
    "declined to be named",
    "declined to be identified",
    "requested anonymity",
    "insisted on anonymity",
    "speaking anonymously",
    "anonymous",
    "close to the",
    "with knowledge of",
    "briefed on",
    "knowledgeable about",
    "not named",
    "unnamed",
)

# Head nouns of written or recorded sources.
DOCUMENT_HEADS: frozenset[str] = frozenset(
    """
    report reports filing filings statement statements data study studies survey surveys
    poll polls document documents memo memos memorandum letter letters email emails
    analysis analyses record records transcript transcripts complaint lawsuit indictment
    ruling order release figures figure numbers research audit review tweet tweets post
    posts video ad ads book budget estimate estimates forecast projection projections
    report census assessment testimony affidavit decision opinion findings finding
    minutes chart graph map model records notice bulletin guidance brief briefing
    summary letter release note notes message messages text texts website
    """.split()
)

# Head nouns of organisations (used when NER gives no label).
ORGANIZATION_HEADS: frozenset[str] = frozenset(
    """
    government ministry department agency company firm campaign committee court police
    commission council administration party office bureau authority authorities
    board army military navy service union bank group organization organisation
    institute university school hospital ministry embassy regime cabinet parliament
    congress senate house legislature prosecutors prosecutor's team league federation
    association coalition foundation fund corporation corp inc utility manufacturer
    airline carrier operator regulator watchdog
    """.split()
)

# Role nouns: "the spokesman", "a State Department spokeswoman". With an
# organisation inside, the source speaks for that organisation.
ROLE_HEADS: frozenset[str] = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople representative president minister
    secretary senator governor mayor chairman chairwoman chair director chief head
    ceo leader commander general attorney lawyer judge prosecutor sheriff ambassador
    envoy adviser advisor aide manager nominee candidate candidates chancellor premier
    king queen prince pope official deputy councilman congressman congresswoman
    representative speaker whip strategist pollster economist professor researcher
    analyst expert founder owner partner counsel detective captain lieutenant
    """.split()
)

# Nouns that make an organisation a news outlet: "the newspaper", "the network".
MEDIA_HEADS: frozenset[str] = frozenset(
    """
    newspaper paper magazine network outlet broadcaster tabloid agency wire station
    channel website site daily weekly journal newsletter podcast show program programme
    """.split()
)

PRONOUNS: dict[str, str] = {
    "he": "male",
    "him": "male",
    "she": "female",
    "her": "female",
    "i": "speaker",
    "we": "group",
    "they": "group",
    "it": "thing",
    # Possessives: "in his eyes", "his claim that ...".
    "his": "male",
    "my": "speaker",
    "our": "group",
    "their": "group",
    "its": "thing",
}

MALE_TITLES: frozenset[str] = frozenset({"mr", "mr.", "sir", "lord", "king", "prince"})
FEMALE_TITLES: frozenset[str] = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "madam"}
)

# A short list of common first names, enough to prefer "she" -> a woman's name
# when the text offers one; unknown names still resolve by nearness.
FEMALE_NAMES: frozenset[str] = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca laura sharon cynthia kathleen amy angela anna brenda
    pamela nicole emma samantha katherine christine debra rachel catherine carolyn
    janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina
    lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances
    gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy
    grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
    natalie isabella charlotte rose alexis kayla hillary kamala theresa angela ursula
    christine kristi nikki sonia elena marine giorgia jacinda liz priti suella kemi
    yvette nicola jill melania ivanka chelsea condoleezza madeleine janet elise
    tulsi kristi pam karine dana sheila maxine alexandria ilhan rashida susie
    """.split()
)
MALE_NAMES: frozenset[str] = frozenset(
    """
    james robert john michael david william richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
    george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
    raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter
    kyle ethan walter noah jeremy christian keith roger terry gerald harold sean austin
    carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert
    willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason
    philip louis barack marco mike mitch chuck ted bernie rudy vladimir volodymyr emmanuel
    boris rishi keir olaf xi narendra benjamin antony lloyd jake kevin hakeem marco
    rex jd pete tim bill hunter jared steve lindsey mitt newt reince sean
    """.split()
)

# Lemmas whose gold cues the accuracy benchmark counts as speech cues.
SPEECH_CUE_LEMMAS: frozenset[str] = frozenset(
    """
    say tell report announce add claim state write ask explain confirm according note
    warn reveal insist argue acknowledge admit deny declare tweet reply respond comment
    stress emphasize mention testify allege assert contend predict promise pledge vow
    urge recall describe suggest cite reiterate repeat retort counter accuse criticize
    demand propose speak quote post answer continue
    """.split()
)

# Object nouns that belong to the cue: "expressed concern about X", "voiced
# doubts over X", "made the case for X" (PolNeAR's cue runs through the noun and
# its preposition, the content is X). Concrete objects ("ordered the release of
# X", "released pages of X") stay content: on held-out training articles the
# concrete ones lost as many exact cues as the stance nouns gained.
STANCE_OBJECTS: frozenset[str] = frozenset(
    """
    concern confidence doubt support frustration consensus note case understanding
    story skepticism scepticism optimism pessimism opposition alarm worry fear hope
    view opinion belief outrage anger displeasure disappointment approval disapproval
    enthusiasm sympathy regret gratitude appreciation
    """.split()
)
