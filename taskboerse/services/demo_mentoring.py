"""Demo data for the mentor programme: a business-service (erhvervsservice) user, mentors
(approved, paused and waiting for approval), the demo entrepreneurs' mentor needs in every
state, mentorships with meetings, private notes, messages and feedback, and "Spørg en
mentor" questions with answers. All fictitious.

The rows are written directly with the models, not through the mentoring services, so the
demo sends no notifications or emails and can set the past (requests that expired, needs
waiting for weeks, mentorships that ended). Every row is fixed data dated relative to today;
a need is recognised by its entrepreneur and description, a question by its author and
title, so running the seed again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    Answer,
    MeetingNote,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    MentorSkill,
    Message,
    NeedStatus,
    Outcome,
    Question,
    RequestStatus,
    Role,
    Skill,
    ThreadRead,
    User,
)
from taskboerse.services import accounts, clock

# A request is unanswered for this long before it expires (as the requests service does).
REQUEST_DAYS = 7

STAFF = ("erhverv1", "Lise Erhvervsservice")


@dataclass(frozen=True)
class DemoMentor:
    """One demo mentor: login mentor<n>@…, profile, and where they stand with approval."""

    name: str
    headline: str
    bio: str
    expertise: tuple[str, ...]  # vocabulary slugs (skills.tsv); the Danish label is stored
    sectors: tuple[str, ...]
    languages: tuple[str, ...]
    hours_per_month: int
    capacity: int
    postcode: str  # "" = online only
    max_distance_km: int
    online: bool
    state: str = "approved"  # "approved", "paused" or "waiting"
    registered_days_ago: int = 120


MENTORS: tuple[DemoMentor, ...] = (
    DemoMentor(
        "Jens Kirkegaard",
        "Pensioneret erhvervsrådgiver fra en jysk sparekasse",
        "Jeg har i 30 år rådgivet små virksomheder om lån, kassekredit og budgetter. Nu bruger "
        "jeg min tid på at hjælpe nye iværksættere med at få styr på tallene, før de går i "
        "banken.",
        ("financing", "business-plan", "budgeting", "cash-flow-budget"),
        ("finance", "trade"),
        ("Dansk", "Engelsk"),
        8,
        3,
        "8000",
        40,
        True,
        registered_days_ago=160,
    ),
    DemoMentor(
        "Birgitte Holst",
        "Tidligere eksportchef i en møbelvirksomhed",
        "Jeg har åbnet markeder i Tyskland, Norden og USA for en mellemstor møbelproducent. "
        "Jeg hjælper gerne med at vælge det første marked, finde forhandlere og forhandle de "
        "første kontrakter.",
        ("export", "b2b-sales", "negotiation"),
        ("manufacturing", "trade"),
        ("Dansk", "Engelsk", "Tysk"),
        6,
        2,
        "7100",
        60,
        True,
        registered_days_ago=150,
    ),
    DemoMentor(
        "Lone Fabricius",
        "HR-konsulent med egen praksis",
        "Jeg har hjulpet over hundrede små virksomheder med deres første ansættelser: "
        "jobopslag, samtaler, kontrakter og den første tid. Jeg gør det overskueligt for dem, "
        "der aldrig har været arbejdsgiver før.",
        ("recruitment", "employment-law", "people-management"),
        ("services", "consulting", "food"),
        ("Dansk", "Engelsk"),
        6,
        2,
        "2100",
        25,
        True,
        registered_days_ago=140,
    ),
    DemoMentor(
        "Poul Bagge",
        "Ejer af en bagerikæde med ni butikker",
        "Jeg startede med én butik i 1998 og har siden bygget en kæde op på Fyn og i "
        "Trekantområdet. Jeg deler gerne ud af erfaringerne med drift, personale og "
        "prissætning – også de dyrt købte.",
        ("business-development", "people-management", "retail", "pricing"),
        ("food", "hospitality", "trade"),
        ("Dansk",),
        4,
        1,
        "5200",
        80,
        True,
    ),
    DemoMentor(
        "Signe Dalsgaard",
        "Marketingdirektør i en dansk modevirksomhed",
        "Jeg har bygget brands op fra bunden, både i butikkerne og på nettet. Jeg hjælper med "
        "at finde målgruppen, skrive budskabet og bruge et lille budget, så det mærkes.",
        ("marketing", "digital-marketing", "social-media", "e-commerce"),
        ("trade", "culture", "hospitality"),
        ("Dansk", "Engelsk"),
        5,
        2,
        "2300",
        20,
        True,
    ),
    DemoMentor(
        "Morten Rask",
        "Advokat med speciale i selskabs- og kontraktret",
        "Jeg har rådgivet iværksættere i 20 år om ejeraftaler, kundekontrakter og ansættelser. "
        "Som mentor hjælper jeg dig med at se, hvor risikoen ligger, før du skriver under.",
        ("contract-law", "employment-law", "business-succession"),
        ("consulting", "finance", "it"),
        ("Dansk", "Engelsk"),
        4,
        2,
        "8000",
        30,
        True,
    ),
    DemoMentor(
        "Hanne Lykke",
        "Statsautoriseret revisor",
        "Jeg har siddet med regnskaber for hundredvis af små virksomheder i Nordjylland. Jeg "
        "hjælper med budget, likviditet og at forstå, hvad tallene fortæller, før det er for "
        "sent.",
        ("accounting", "budgeting", "cash-flow-budget", "valuation"),
        ("finance", "services"),
        ("Dansk",),
        6,
        3,
        "9000",
        50,
        True,
    ),
    DemoMentor(
        "Erik Thygesen",
        "Tidligere salgsdirektør i en it-virksomhed",
        "Jeg har bygget salgsafdelinger op i to softwarevirksomheder og solgt til både "
        "kommuner og store koncerner. Jeg hjælper med salgsstrategi, tilbud, kontrakter og de "
        "svære forhandlinger.",
        ("sales", "b2b-sales", "sales-strategy", "negotiation", "contract-law"),
        ("it", "consulting"),
        ("Dansk", "Engelsk"),
        6,
        2,
        "6000",
        60,
        True,
    ),
    DemoMentor(
        "Karin Skovgaard",
        "Serieiværksætter og business angel",
        "Jeg har startet og solgt tre virksomheder og investerer nu selv i nye. Jeg hjælper "
        "med forretningsmodellen, investorpitchet og hvad en investor faktisk kigger efter.",
        ("financing", "business-model", "business-development"),
        ("it", "consulting", "energy"),
        ("Dansk", "Engelsk", "Svensk"),
        5,
        2,
        "",
        0,
        True,
    ),
    DemoMentor(
        "Niels Brandt",
        "Tidligere direktør for en produktionsvirksomhed med 180 ansatte",
        "Jeg har ledet en familievirksomhed gennem vækst, eksport, et generationsskifte og "
        "omstillingen til genbrugte materialer. Jeg hjælper ledere, der skal fra at gøre alt "
        "selv til at lede andre.",
        (
            "change-management",
            "people-management",
            "business-succession",
            "export",
            "circular-economy",
        ),
        ("manufacturing", "construction"),
        ("Dansk", "Engelsk", "Tysk"),
        4,
        1,
        "7400",
        70,
        True,
    ),
    DemoMentor(
        "Anja Krogh",
        "Bæredygtighedschef i en fødevarekoncern",
        "Jeg arbejder med cirkulær økonomi og klimaregnskaber i en stor virksomhed og vil gerne "
        "hjælpe små virksomheder med at gøre bæredygtighed til en forretning – ikke en pligt.",
        ("circular-economy", "sustainability", "business-development"),
        ("food", "energy", "manufacturing"),
        ("Dansk", "Engelsk"),
        4,
        2,
        "4000",
        40,
        True,
    ),
    DemoMentor(
        "Thomas Winther",
        "Webshop-ejer og rådgiver i e-handel",
        "Jeg har drevet webshops i 12 år og solgt i hele Norden. Jeg hjælper med at vælge "
        "platform, skaffe trafik og få fragt og returvarer til at hænge sammen.",
        ("e-commerce", "digital-marketing", "seo", "logistics"),
        ("trade", "transport", "it"),
        ("Dansk", "Engelsk"),
        8,
        3,
        "",
        0,
        True,
    ),
    DemoMentor(
        "Grethe Bruun",
        "Pensioneret bankdirektør",
        "Jeg har været direktør i en lokal bank i 15 år og har set mange låneansøgninger – gode "
        "og mindre gode. Jeg hjælper med finansiering, værdiansættelse og overtagelse af en "
        "virksomhed.",
        ("financing", "valuation", "business-succession", "budgeting"),
        ("finance", "trade", "food"),
        ("Dansk",),
        6,
        2,
        "4700",
        60,
        True,
    ),
    DemoMentor(
        "Kasper Nyholm",
        "Indehaver af et reklamebureau",
        "Jeg har lavet kampagner for alt fra spillesteder til fødevaremærker. Jeg hjælper med "
        "markedsføring, presse og at sige det, der gør jer anderledes, kort og klart.",
        ("marketing", "public-relations", "sales-strategy", "digital-marketing"),
        ("culture", "hospitality", "consulting"),
        ("Dansk", "Engelsk"),
        4,
        2,
        "2200",
        30,
        True,
    ),
    DemoMentor(
        "Pia Mortensen",
        "Tidligere økonomichef i detailhandlen",
        "Jeg har styret økonomien i en kæde af tøjbutikker og hjælper gerne med budget, "
        "regnskab og lagerstyring. Lige nu holder jeg pause, mens jeg er på en lang rejse.",
        ("budgeting", "accounting", "retail"),
        ("trade",),
        ("Dansk", "Engelsk"),
        4,
        1,
        "9200",
        40,
        False,
        state="paused",
    ),
    DemoMentor(
        "Lars Eskildsen",
        "Tidligere logistikchef i et rederi",
        "Jeg har arbejdet med fragt og forsyningskæder til hele verden i 25 år. Jeg vil gerne "
        "hjælpe virksomheder, der skal sende varer ud af landet for første gang.",
        ("logistics", "export", "negotiation"),
        ("transport", "trade"),
        ("Dansk", "Engelsk"),
        6,
        2,
        "6700",
        50,
        True,
        state="waiting",
        registered_days_ago=3,
    ),
    DemoMentor(
        "Maja Iversen",
        "Projektleder og iværksætter inden for sundhed",
        "Jeg har startet en klinik og ledet udviklingsprojekter i regionen. Jeg hjælper gerne "
        "med forretningsplan og projektstyring, når idéen skal blive til en virksomhed.",
        ("business-plan", "project-management"),
        ("health", "education"),
        ("Dansk", "Engelsk"),
        4,
        1,
        "3400",
        30,
        False,
        state="waiting",
        registered_days_ago=1,
    ),
)


@dataclass(frozen=True)
class DemoRequest:
    """A request from the need to mentor<mentor> (1-based), created ``days_ago`` days ago."""

    mentor: int
    status: RequestStatus
    days_ago: int
    message: str
    decline_reason: str = ""


@dataclass(frozen=True)
class DemoMeeting:
    """A meeting ``days_ago`` days ago (negative: planned) with the agenda and each side's
    private note."""

    days_ago: int
    agenda: str
    mentor_note: str = ""
    entrepreneur_note: str = ""


@dataclass(frozen=True)
class DemoMentorship:
    """The mentorship that came of the need's accepted request (its last request)."""

    status: MentorshipStatus
    start_days_ago: int
    weeks: int
    meetings: tuple[DemoMeeting, ...] = ()
    # (sender "mentor"/"entrepreneur", days ago, text)
    messages: tuple[tuple[str, int, str], ...] = ()
    # side -> (rating, comment)
    feedback: dict[str, tuple[int, str]] = field(default_factory=dict)
    outcome: Outcome | None = None
    outcome_note: str = ""
    ended_days_ago: int | None = None
    ended_by: str | None = None  # "mentor" or "entrepreneur"


@dataclass(frozen=True)
class DemoNeed:
    """One need of the demo company ``company`` (1-based, as in demo_data.COMPANIES)."""

    company: int
    topic: str
    stage: str
    frequency: str
    description: str
    days_ago: int
    online: bool = True
    expertise: tuple[str, ...] = ()  # further vocabulary slugs
    requests: tuple[DemoRequest, ...] = ()
    mentorship: DemoMentorship | None = None
    closed: bool = False


P, A, D, E, W = (
    RequestStatus.PENDING,
    RequestStatus.ACCEPTED,
    RequestStatus.DECLINED,
    RequestStatus.EXPIRED,
    RequestStatus.WITHDRAWN,
)

NEEDS: tuple[DemoNeed, ...] = (
    # --- open, no request yet (the ranking shows) ---------------------------------------
    DemoNeed(
        1,
        "financing",
        "start",
        "monthly",
        "Vi er tre partnere, der har drevet Fjordlys i et år, og vil gerne ansætte en "
        "analytiker mere. Vi overvejer at søge et lån i Vækstfonden eller at hente en "
        "investor ind. Vi vil gerne have hjælp til at vælge vej og gøre vores "
        "forretningsplan klar til banken.",
        days_ago=6,
        expertise=("business-plan",),
    ),
    DemoNeed(
        3,
        "export",
        "growth",
        "fortnightly",
        "Svenske og tyske budfirmaer spørger efter de ladcykler, vi sælger i webshoppen. Vi "
        "har aldrig solgt uden for Danmark og ved ikke, hvordan vi håndterer moms, fragt og "
        "garanti i udlandet. Vi søger en mentor, der har prøvet at starte eksport fra bunden.",
        days_ago=4,
        expertise=("logistics",),
    ),
    DemoNeed(
        8,
        "sales",
        "growth",
        "fortnightly",
        "Vi er fem designere, der lever af opgaver fra kommuner og mellemstore virksomheder, "
        "men alle kunder kommer via vores netværk. Vi vil gerne have en fast måde at finde og "
        "vinde nye kunder på, og hjælp til at skrive tilbud på offentlige udbud.",
        days_ago=9,
        expertise=("b2b-sales",),
    ),
    DemoNeed(
        12,
        "sustainability",
        "start",
        "monthly",
        "Vores frokostordning til virksomheder smider stadig for meget mad ud, og kunderne "
        "spørger efter vores klimaaftryk. Vi vil gerne have en mentor, der kan hjælpe os med "
        "at mindske madspild og fortælle om det på en troværdig måde.",
        days_ago=2,
        online=False,
    ),
    # --- open with a pending request -----------------------------------------------------
    DemoNeed(
        4,
        "marketing",
        "start",
        "fortnightly",
        "Vi har åbnet en webshop med vores egne kaffebønner, men salget er langsomt. Vi har "
        "et lille budget og ved ikke, om vi skal bruge det på annoncer, nyhedsbrev eller "
        "smagninger. Vi vil gerne have hjælp til en plan for det næste halve år.",
        days_ago=5,
        expertise=("digital-marketing", "social-media"),
        requests=(
            DemoRequest(
                5,
                P,
                2,
                "Hej Signe. Vi er et lille risteri i Nordvest og har brug for hjælp til at få "
                "gang i webshoppen. Dine erfaringer med at bygge brands på nettet passer godt "
                "til os – har du lyst?",
            ),
        ),
    ),
    DemoNeed(
        10,
        "finance",
        "start",
        "monthly",
        "Vi er to jurister, der rådgiver nystartede virksomheder. Vores indtægter svinger "
        "meget fra måned til måned, og vi vil gerne lære at lægge et likviditetsbudget, så vi "
        "ved, hvornår vi har råd til at hyre en studentermedhjælper.",
        days_ago=4,
        requests=(
            DemoRequest(
                1,
                P,
                3,
                "Hej Jens. Vi har brug for en, der kan lære os at styre likviditeten i et "
                "rådgivningsfirma med svingende indtægter. Vi sidder også i Aarhus, så vi kan "
                "sagtens mødes.",
            ),
        ),
    ),
    # --- open again after a declined request ---------------------------------------------
    DemoNeed(
        6,
        "leadership",
        "start",
        "monthly",
        "Vi er gået fra to til fire ansatte på et halvt år, og jeg bruger al min tid på "
        "opgaverne selv. Jeg vil gerne blive bedre til at uddelegere, holde "
        "medarbejdersamtaler og lægge en plan for, hvordan vi vokser uden at gå i stå.",
        days_ago=16,
        requests=(
            DemoRequest(
                10,
                D,
                14,
                "Hej Niels. Jeg har læst om din erfaring med at lede en virksomhed gennem "
                "vækst. Vil du hjælpe mig med at blive leder for mit lille team?",
                "Tak for din henvendelse. Jeg har desværre ikke tid før efter sommerferien, og "
                "jeg tror, en mentor med erfaring fra rådgivningsbranchen passer bedre til jer.",
            ),
        ),
    ),
    # --- open after an expired request, waiting more than 30 days (the staff flag) -----
    DemoNeed(
        9,
        "finance",
        "growth",
        "monthly",
        "Vi lægger mange penge ud til lokaler og musikere måneder før et arrangement, og "
        "kunderne betaler først bagefter. Vi har brug for hjælp til et budget og en "
        "likviditetsplan, så vi ikke løber tør for penge i højsæsonen.",
        days_ago=44,
        expertise=("budgeting",),
        requests=(
            DemoRequest(
                7,
                E,
                41,
                "Hej Hanne. Vi er et eventbureau i Vejle, der har brug for styr på "
                "likviditeten. Vil du være vores mentor?",
            ),
        ),
    ),
    # --- matched, active --------------------------------------------------------------------
    DemoNeed(
        2,
        "first_hire",
        "growth",
        "fortnightly",
        "Vi skal ansætte vores første faste bager ud over os selv og har aldrig været "
        "arbejdsgivere. Vi vil gerne have hjælp til jobopslag, samtaler, kontrakt og "
        "overenskomst, og til at få den nye kollega godt i gang.",
        days_ago=40,
        online=False,
        expertise=("recruitment",),
        requests=(
            DemoRequest(
                3,
                A,
                37,
                "Hej Lone. Vi er et lille økologisk bageri på Nørrebro og skal ansætte vores "
                "første medarbejder. Vil du hjælpe os?",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.ACTIVE,
            start_days_ago=33,
            weeks=12,
            meetings=(
                DemoMeeting(
                    31,
                    "Første møde: hvad skal den nye bager kunne, og hvad kan vi betale?",
                    "Mette og Asger har styr på faget, men har ikke tænkt over "
                    "overenskomsten. Sende skabelon til jobopslag.",
                    "Lone mener, vi skal skrive opslaget ud fra en almindelig uge – ikke "
                    "drømmekandidaten.",
                ),
                DemoMeeting(
                    17,
                    "Gennemgang af ansøgningerne og spørgsmål til samtalerne.",
                    "Elleve ansøgere. Tre gode. Hjalp dem med at bruge de samme spørgsmål til "
                    "alle samtaler.",
                    "Vi inviterer tre. Husk at spørge til nattevagter og weekender.",
                ),
                DemoMeeting(
                    -5,
                    "Kontrakten og de første fire uger for den nye kollega.",
                ),
            ),
            messages=(
                (
                    "entrepreneur",
                    30,
                    "Tak for et godt møde i går! Her er vores udkast til "
                    "jobopslaget – må du kigge på det?",
                ),
                (
                    "mentor",
                    29,
                    "Det ser fint ud. Skriv arbejdstiderne tydeligt, og sæt "
                    "løn efter overenskomst i stedet for 'efter aftale'.",
                ),
                (
                    "entrepreneur",
                    3,
                    "Vi har fundet vores bager! Kan vi tage kontrakten på næste møde?",
                ),
            ),
        ),
    ),
    DemoNeed(
        11,
        "financing",
        "start",
        "monthly",
        "Vi installerer solceller på landbrug og skal bruge penge til en ekstra montørbil og "
        "materialer på lager. Banken vil have en opdateret forretningsplan og et budget for "
        "de næste to år. Vi vil gerne have en mentor, der kender bankens blik.",
        days_ago=52,
        expertise=("business-plan",),
        requests=(
            DemoRequest(
                13,
                D,
                50,
                "Hej Grethe. Vi skal låne penge til vækst og vil gerne have en erfaren "
                "bankfolks hjælp til forretningsplanen.",
                "Jeg har desværre allerede to forløb i gang og kan ikke tage flere lige nu. "
                "Prøv Jens Kirkegaard, som bor tæt på jer.",
            ),
            DemoRequest(
                1,
                A,
                47,
                "Hej Jens. Grethe Bruun anbefalede dig. Vi skal rejse penge til en ekstra "
                "montørbil og vil gerne have hjælp til forretningsplanen.",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.ACTIVE,
            start_days_ago=44,
            weeks=16,
            meetings=(
                DemoMeeting(
                    42,
                    "Hvor meget skal vi låne, og hvad skal banken se?",
                    "Anders har godt styr på ordrebogen, men budgettet er for optimistisk. "
                    "Skal have to scenarier.",
                    "Jens vil have et forsigtigt og et forventet budget. Husk sæsonudsvingene.",
                ),
                DemoMeeting(
                    12,
                    "Gennemgang af budgettet og forretningsplanen før bankmødet.",
                    "Budgettet holder nu. Øvede bankmødet med ham.",
                    "Bankmødet er d. 20. Tag ordrebekræftelserne med.",
                ),
            ),
            messages=(
                (
                    "mentor",
                    40,
                    "Her er den budgetskabelon, jeg talte om. Udfyld det "
                    "forsigtige scenarie først.",
                ),
                (
                    "entrepreneur",
                    14,
                    "Budgettet er klar. Kan vi mødes torsdag i stedet for fredag?",
                ),
                ("mentor", 13, "Torsdag kl. 10 passer fint."),
            ),
        ),
    ),
    DemoNeed(
        5,
        "export",
        "established",
        "monthly",
        "Vi sælger vores plaider i Norden og vil gerne ind på det tyske marked. Vi ved ikke, "
        "om vi skal bruge agenter, sælge direkte til butikkerne eller gå via store webshops. "
        "Vi søger en mentor med erfaring fra eksport af boligtekstiler eller møbler.",
        days_ago=90,
        expertise=("b2b-sales",),
        requests=(
            DemoRequest(
                2,
                A,
                86,
                "Hej Birgitte. Vi vil gerne ind på det tyske marked med vores uldplaider og "
                "tror, din erfaring fra møbelbranchen passer perfekt.",
            ),
        ),
        # Active, but no meeting for two months: overdue (monthly: 42 days).
        mentorship=DemoMentorship(
            MentorshipStatus.ACTIVE,
            start_days_ago=82,
            weeks=20,
            meetings=(
                DemoMeeting(
                    80,
                    "Hvilket marked først, og hvilke kanaler?",
                    "Henrik vil for meget på én gang. Foreslog at starte med Nordtyskland og "
                    "to agenter.",
                    "Start med Hamborg-området. Find to agenter, der kender boligbutikkerne.",
                ),
                DemoMeeting(
                    61,
                    "Liste over agenter og messen i Frankfurt.",
                    "Han har fundet fire agenter. Skal prioritere og tage kontakt.",
                    "Birgitte kender én af agenterne – hun sender en introduktion.",
                ),
            ),
            messages=(
                (
                    "mentor",
                    58,
                    "Jeg har skrevet til Klaus fra agenturet. Han vender tilbage i næste uge.",
                ),
                ("entrepreneur", 57, "Tusind tak! Jeg giver lyd, når vi har talt sammen."),
            ),
        ),
    ),
    DemoNeed(
        12,
        "strategy",
        "start",
        "fortnightly",
        "Vi laver frokost til virksomheder i Aalborg og vil gerne udvide med catering til "
        "selskaber i weekenden. Vi er i tvivl om, hvorvidt det passer til vores køkken og "
        "vores folk, og vil gerne have hjælp til at regne på det og vælge.",
        days_ago=30,
        requests=(
            DemoRequest(
                4,
                A,
                28,
                "Hej Poul. Du har bygget en bagerikæde op – vi står med spørgsmålet om at "
                "vokse eller holde fast. Har du tid til et forløb online?",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.ACTIVE,
            start_days_ago=25,
            weeks=8,
            meetings=(
                DemoMeeting(
                    24,
                    "Hvad tjener vi på frokostordningen i dag, og hvad kræver catering?",
                    "Rikke kender sine tal. Dækningsbidraget på catering skal være højere end "
                    "hun tror.",
                    "Poul siger: regn med dobbelt så meget tid til planlægning.",
                ),
                DemoMeeting(
                    9,
                    "Prøveordre til to selskaber og hvordan vi bemander weekenden.",
                    "To prøveordrer er bestilt. Godt.",
                    "Vi prøver med to selskaber i maj og evaluerer bagefter.",
                ),
            ),
            messages=(
                (
                    "entrepreneur",
                    20,
                    "Her er vores regnestykke for catering. Det ser stramt ud – er det realistisk?",
                ),
                ("mentor", 19, "Prisen er for lav. Læg 15 % på, og tag betaling for levering."),
            ),
        ),
    ),
    # --- completed, with feedback from both sides and an outcome -------------------------
    DemoNeed(
        1,
        "first_hire",
        "start",
        "fortnightly",
        "Vi skal ansætte vores første analytiker og vil gerne gøre det rigtigt fra starten: "
        "kontrakt, prøvetid og en god introduktion.",
        days_ago=170,
        requests=(
            DemoRequest(
                3,
                A,
                168,
                "Hej Lone. Vi skal ansætte vores første medarbejder og vil gerne have hjælp "
                "til hele processen.",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.COMPLETED,
            start_days_ago=164,
            weeks=10,
            meetings=(
                DemoMeeting(
                    160,
                    "Jobprofil og løn.",
                    "Klar profil. De skal tænke på pension.",
                    "Husk pension og sundhedsforsikring i kontrakten.",
                ),
                DemoMeeting(
                    130,
                    "Samtaler og valg af kandidat.",
                    "Godt valg.",
                    "Vi ansætter Sara. Start 1. marts.",
                ),
                DemoMeeting(
                    96,
                    "Afslutning: hvordan gik de første uger?",
                    "Fin introduktion. Forløbet kan afsluttes.",
                    "Lav en fast plan for de første to uger til næste gang.",
                ),
            ),
            messages=(
                ("entrepreneur", 150, "Hvad skal der stå om prøvetid i kontrakten?"),
                (
                    "mentor",
                    149,
                    "Tre måneders prøvetid med en dags varsel er almindeligt – skriv det tydeligt.",
                ),
            ),
            feedback={
                "mentor": (5, "Dygtige og velforberedte iværksættere. Det var en fornøjelse."),
                "entrepreneur": (
                    5,
                    "Lone gjorde det overskueligt at blive arbejdsgiver. Vi fik ansat den rigtige.",
                ),
            },
            outcome=Outcome.FIRST_HIRE,
            outcome_note="Vi har ansat vores første analytiker på fuld tid.",
            ended_days_ago=94,
        ),
    ),
    DemoNeed(
        4,
        "financing",
        "idea",
        "monthly",
        "Vi vil åbne en kaffebar ved siden af risteriet og skal finde 400.000 kr. til "
        "indretning og maskiner. Vi vil gerne have hjælp til budgettet og til at tale med "
        "banken og mulige investorer.",
        days_ago=200,
        requests=(
            DemoRequest(
                9,
                A,
                198,
                "Hej Karin. Vi skal rejse penge til en kaffebar og har brug for en, der kender "
                "investorernes verden.",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.COMPLETED,
            start_days_ago=195,
            weeks=16,
            meetings=(
                DemoMeeting(
                    190,
                    "Hvor mange penge, og hvem skal spørges?",
                    "Realistisk plan. Foreslog lån plus crowdfunding.",
                    "Karin foreslår et banklån og en crowdfunding-kampagne blandt kunderne.",
                ),
                DemoMeeting(
                    150,
                    "Øvelse i pitch før bankmødet.",
                    "Pitchet er skarpt nu.",
                    "Pitchet skal være under fem minutter.",
                ),
            ),
            feedback={
                "mentor": (4, "Engagerede og lyttede til rådene. Godt samarbejde."),
                "entrepreneur": (
                    5,
                    "Uden Karin havde vi ikke fået lånet. Hun stillede de rigtige spørgsmål.",
                ),
            },
            outcome=Outcome.FUNDING,
            outcome_note="Banken gav os et lån på 300.000 kr., og kampagnen gav resten.",
            ended_days_ago=82,
        ),
    ),
    DemoNeed(
        7,
        "digital",
        "growth",
        "monthly",
        "Vores kunder vil gerne kunne købe bogføringspakker direkte på nettet. Vi vil have "
        "hjælp til at vælge en løsning og få den første kampagne i gang.",
        days_ago=140,
        expertise=("digital-marketing",),
        requests=(
            DemoRequest(
                12,
                A,
                138,
                "Hej Thomas. Vi vil sælge vores bogføringspakker online og har brug for en med "
                "erfaring fra e-handel.",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.COMPLETED,
            start_days_ago=135,
            weeks=8,
            meetings=(
                DemoMeeting(
                    130,
                    "Platform og pakker.",
                    "Enkel løsning er nok. Tre pakker.",
                    "Vi vælger en færdig webshop-løsning og tre faste pakker.",
                ),
                DemoMeeting(
                    100,
                    "Første kampagne og resultater.",
                    "Fine resultater efter fire uger.",
                    "Elleve nye kunder på en måned.",
                ),
            ),
            feedback={
                "mentor": (4, "God energi, men lidt langsomme til at beslutte sig."),
                "entrepreneur": (4, "Meget konkret og praktisk hjælp."),
            },
            outcome=Outcome.NEW_CUSTOMERS,
            outcome_note="Elleve nye kunder via webshoppen på den første måned.",
            ended_days_ago=79,
        ),
    ),
    # --- ended early -------------------------------------------------------------------------
    DemoNeed(
        9,
        "marketing",
        "growth",
        "fortnightly",
        "Vi vil gerne kendes som firmaet bag de bedste firmafester i Trekantområdet og have "
        "hjælp til pressearbejde og sociale medier.",
        days_ago=120,
        requests=(
            DemoRequest(
                14,
                A,
                118,
                "Hej Kasper. Vi vil gerne have mere omtale af vores arrangementer og håber, "
                "du vil hjælpe.",
            ),
        ),
        mentorship=DemoMentorship(
            MentorshipStatus.ENDED,
            start_days_ago=112,
            weeks=12,
            meetings=(
                DemoMeeting(
                    110,
                    "Målgrupper og presseliste.",
                    "For mange mål på én gang.",
                    "Kasper foreslår at vælge én målgruppe: virksomheder.",
                ),
            ),
            messages=(
                (
                    "entrepreneur",
                    75,
                    "Vi må desværre stoppe forløbet – vi har fået en stor "
                    "opgave og har ikke tid de næste måneder. Tak for hjælpen indtil nu.",
                ),
                ("mentor", 74, "Helt forståeligt. Held og lykke med opgaven!"),
            ),
            outcome=Outcome.NOTHING_YET,
            ended_days_ago=75,
            ended_by="entrepreneur",
        ),
    ),
    # --- closed by the entrepreneur -------------------------------------------------------
    DemoNeed(
        10,
        "strategy",
        "idea",
        "as_needed",
        "Vi overvejer at tilbyde abonnementer på juridisk rådgivning til nystartede "
        "virksomheder og vil gerne vende forretningsmodellen med en erfaren iværksætter.",
        days_ago=60,
        closed=True,
    ),
)


@dataclass(frozen=True)
class DemoQuestion:
    """A "Spørg en mentor" question from demo company ``company`` with its answers:
    (mentor number, days ago, text, helpful)."""

    company: int
    title: str
    body: str
    days_ago: int
    public: bool = True
    answers: tuple[tuple[int, int, str, bool], ...] = ()
    hidden_reason: str = ""


QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        12,
        "Skal vi momsregistreres fra første dag?",
        "Vi starter en frokostordning og forventer at omsætte for under 50.000 kr. de første "
        "måneder. Skal vi alligevel momsregistreres fra start?",
        40,
        answers=(
            (
                7,
                39,
                "Grænsen er 50.000 kr. på 12 måneder, men sælger I til virksomheder, kan "
                "det betale sig at registrere med det samme, så I kan trække momsen på "
                "køkkenudstyret fra.",
                True,
            ),
            (
                1,
                38,
                "Enig med Hanne. Tal også med jeres bank om en momskonto, så pengene "
                "ikke bliver brugt.",
                False,
            ),
        ),
    ),
    DemoQuestion(
        3,
        "Hvordan prissætter vi en serviceaftale til erhvervskunder?",
        "Vi vil tilbyde budfirmaer service på deres ladcykler for et fast beløb om måneden. "
        "Hvordan finder vi den rigtige pris uden at tabe penge på de kunder, der kører meget?",
        33,
        answers=(
            (
                8,
                32,
                "Lav to eller tre niveauer efter antal cykler og kilometer, og sæt et loft "
                "over reparationer. Start med en pris, der dækker jeres dyreste kunde, og giv "
                "rabat for lang binding.",
                True,
            ),
            (
                4,
                30,
                "Vi gør det samme med service på ovne: en fast pris plus timer ud over "
                "loftet. Det gør kunderne trygge og beskytter jer.",
                False,
            ),
        ),
    ),
    DemoQuestion(
        8,
        "Hvad skal stå i en aftale med en freelancer?",
        "Vi får tit hjælp af freelance-udviklere. Hvad skal stå i aftalen, så vi ejer koden, "
        "og hvad gør vi, hvis en opgave bliver forsinket?",
        26,
        answers=(
            (
                6,
                25,
                "Skriv udtrykkeligt, at alle rettigheder overgår til jer ved betaling, og "
                "aftal en leveringsplan med delbetalinger. Så har I et håndtag, hvis noget "
                "bliver forsinket.",
                True,
            ),
        ),
    ),
    DemoQuestion(
        2,
        "Kan vores første ansatte være på deltid?",
        "Vi har ikke råd til en fuldtidsbager fra starten. Kan vi ansætte på 25 timer om "
        "ugen, og hvad betyder det for overenskomsten?",
        21,
        public=False,
        answers=(
            (
                3,
                20,
                "Ja, det kan I sagtens. Overenskomsten gælder også deltid, og timelønnen "
                "er den samme. Skriv det ugentlige timetal i kontrakten, og aftal, hvordan "
                "ekstra timer betales.",
                True,
            ),
        ),
    ),
    DemoQuestion(
        4,
        "Giver det mening at sælge kaffe på tyske markedspladser?",
        "Vi får forespørgsler fra Tyskland via Instagram. Skal vi sælge via en stor tysk "
        "markedsplads, eller skal vi sende fra vores egen webshop?",
        15,
        answers=(
            (
                12,
                14,
                "Start med jeres egen webshop på tysk og find ud af, hvad fragten "
                "koster. En markedsplads tager 15 % og kræver hurtig levering.",
                False,
            ),
            (
                2,
                13,
                "Tyske kunder forventer tysk kundeservice og fri returnering. Test med "
                "en lille kampagne, før I binder jer til en markedsplads.",
                True,
            ),
            (
                5,
                12,
                "Brug jeres Instagram-følgere i Tyskland som testmarked: en rabatkode "
                "viser hurtigt, om der er noget at komme efter.",
                False,
            ),
        ),
    ),
    DemoQuestion(
        6,
        "Hvordan finder vi en business angel?",
        "Vi vil gerne have en investor med erfaring fra energibranchen ind i firmaet. Hvor "
        "finder man dem, og hvad skal vi have klar, før vi tager kontakt?",
        10,
        answers=(
            (
                9,
                9,
                "Gå gennem netværk for business angels og erhvervshusene. Hav en kort "
                "præsentation, et budget for tre år og et klart svar på, hvad pengene skal "
                "bruges til.",
                True,
            ),
            (
                13,
                8,
                "Og vær klar til at fortælle, hvor stor en ejerandel I vil afgive. Det er "
                "det første, en investor spørger om.",
                False,
            ),
        ),
    ),
    DemoQuestion(
        7,
        "Hvordan siger vi nej til en kunde, der altid betaler for sent?",
        "En af vores største kunder betaler altid en måned for sent. Hvordan tager vi snakken "
        "uden at miste kunden?",
        6,
        answers=(
            (
                4,
                5,
                "Sig det ligeud, men venligt, og tilbyd en løsning: betaling via "
                "betalingsservice eller et gebyr for sen betaling. De fleste accepterer.",
                False,
            ),
            (
                6,
                4,
                "Skriv betalingsbetingelserne ind i aftalen, og husk, at I har ret til "
                "renter ved for sen betaling.",
                False,
            ),
        ),
    ),
    DemoQuestion(
        5,
        "Hvordan beskytter vi vores mønstre mod kopier i udlandet?",
        "Vi har set kopier af vores plaider på en udenlandsk webshop. Kan vi beskytte vores "
        "mønstre, og hvad koster det?",
        3,
    ),
    DemoQuestion(
        11,
        "Hvordan laver vi en enkel bæredygtighedsrapport?",
        "Vores kunder spørger efter vores CO2-aftryk. Hvad er det mindste, vi kan gøre, der "
        "stadig er troværdigt?",
        1,
        public=False,
    ),
    DemoQuestion(
        9,
        "Vores tekniker er syg igen – hvad må vi?",
        "Vores lydtekniker Bjarke Holm har været sygemeldt fire gange i år med migræne. Må vi "
        "bede om en lægeerklæring, og kan vi afskedige ham?",
        8,
        hidden_reason="Spørgsmålet nævner en medarbejders navn og helbred. Stil det gerne igen "
        "uden navn, så kan mentorerne svare.",
    ),
)


# --- seeding ---------------------------------------------------------------------------------


def seed_mentoring(owners: list[User], domain: str, password: str) -> dict[str, int]:
    """Create the demo mentor programme once (``owners``: the demo companies' entrepreneurs,
    in the order of demo_data.COMPANIES). Returns counts of what exists."""
    now = clock.now()
    staff = _user(f"{STAFF[0]}@{domain}", STAFF[1], Role.BUSINESS_STAFF, password)
    mentors = [
        _mentor(i, spec, staff, domain, password, now) for i, spec in enumerate(MENTORS, start=1)
    ]
    for need in NEEDS:
        _need(need, owners, mentors, now)
    for question in QUESTIONS:
        _question(question, owners, mentors, staff, now)
    db.session.commit()

    def n(model) -> int:
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()

    return {
        "mentors": n(MentorProfile),
        "mentor_needs": n(MentorNeed),
        "mentorships": n(Mentorship),
        "questions": n(Question),
    }


def _user(email: str, name: str, role: Role, password: str) -> User:
    existing = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if existing is not None:
        return existing
    return accounts.create_user(
        accounts.NewUser(email=email, name=name, role=role, password=password)
    )


def _skill(slug: str) -> Skill:
    skill = db.session.execute(select(Skill).where(Skill.slug == slug)).scalar_one_or_none()
    if skill is None:  # the demo data names a slug the vocabulary lacks: a bug here
        raise LookupError(f"demo mentoring: no vocabulary skill {slug!r}")
    return skill


def _mentor(
    number: int, spec: DemoMentor, staff: User, domain: str, password: str, now: datetime
) -> User:
    user = _user(f"mentor{number}@{domain}", spec.name, Role.MENTOR, password)
    exists = db.session.execute(
        select(MentorProfile.id).where(MentorProfile.user_id == user.id)
    ).first()
    if exists:
        return user
    registered = now - timedelta(days=spec.registered_days_ago, hours=number)
    user.created_at = registered
    profile = MentorProfile(
        user_id=user.id,
        headline=spec.headline,
        bio=spec.bio,
        sectors=list(spec.sectors),
        languages=list(spec.languages),
        hours_per_month=spec.hours_per_month,
        capacity=spec.capacity,
        postcode=spec.postcode,
        max_distance_km=spec.max_distance_km,
        online=spec.online,
        created_at=registered,
    )
    if spec.state != "waiting":
        profile.approved_at = registered + timedelta(days=2)
        profile.approved_by_id = staff.id
    if spec.state == "paused":
        profile.paused_at = now - timedelta(days=20)
    profile.skills = [
        MentorSkill(skill_id=skill.id, label=skill.label_da)
        for skill in map(_skill, spec.expertise)
    ]
    db.session.add(profile)
    db.session.flush()
    return user


def _need(spec: DemoNeed, owners: list[User], mentors: list[User], now: datetime) -> None:
    owner = owners[spec.company - 1]
    exists = db.session.execute(
        select(MentorNeed.id).where(
            MentorNeed.entrepreneur_id == owner.id, MentorNeed.description == spec.description
        )
    ).first()
    if exists:
        return
    company = owner.company
    created = now - timedelta(days=spec.days_ago, hours=spec.company)
    need = MentorNeed(
        entrepreneur_id=owner.id,
        company_id=company.id if company else None,
        topic=spec.topic,
        stage=spec.stage,
        description=spec.description,
        frequency=spec.frequency,
        postcode=(company.postcode or "") if company else "",
        online=spec.online,
        status=NeedStatus.OPEN,
        created_at=created,
        updated_at=created,
    )
    need.skills = [
        MentorNeedSkill(skill_id=skill.id, label=skill.label_da)
        for skill in map(_skill, spec.expertise)
    ]
    if spec.closed:
        need.status = NeedStatus.CLOSED
        need.closed_at = created + timedelta(days=12)
    db.session.add(need)
    db.session.flush()
    accepted: MentorRequest | None = None
    for r in spec.requests:
        sent = now - timedelta(days=r.days_ago, hours=spec.company)
        request = MentorRequest(
            need_id=need.id,
            mentor_id=mentors[r.mentor - 1].id,
            message=r.message,
            status=r.status,
            decline_reason=r.decline_reason,
            created_at=sent,
            expires_at=sent + timedelta(days=REQUEST_DAYS),
            answered_at=sent + timedelta(days=2) if r.status in (A, D) else None,
        )
        db.session.add(request)
        if r.status == A:
            accepted = request
    db.session.flush()
    if spec.mentorship is not None and accepted is not None:
        need.status = NeedStatus.MATCHED
        _mentorship(spec.mentorship, need, accepted, owner, now)


def _day(now: datetime, days_ago: int) -> date:
    return (now - timedelta(days=days_ago)).date()


def _mentorship(
    spec: DemoMentorship, need: MentorNeed, request: MentorRequest, owner: User, now: datetime
) -> None:
    mentor_id = request.mentor_id
    start = _day(now, spec.start_days_ago)
    ship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=mentor_id,
        entrepreneur_id=owner.id,
        status=spec.status,
        start_on=start,
        end_on=start + timedelta(weeks=spec.weeks),
        created_at=request.answered_at,
        outcome=spec.outcome,
        outcome_note=spec.outcome_note,
    )
    if spec.ended_days_ago is not None:
        ship.ended_at = now - timedelta(days=spec.ended_days_ago)
    if spec.ended_by == "mentor":
        ship.ended_by_id = mentor_id
    elif spec.ended_by == "entrepreneur":
        ship.ended_by_id = owner.id
    db.session.add(ship)
    db.session.flush()
    side_id = {"mentor": mentor_id, "entrepreneur": owner.id}
    for k, m in enumerate(spec.meetings):
        meeting = MentorshipMeeting(
            mentorship_id=ship.id,
            held_on=_day(now, m.days_ago),
            agenda=m.agenda,
            # The entrepreneur sets up every other meeting.
            created_by_id=owner.id if k % 2 else mentor_id,
            created_at=now - timedelta(days=max(m.days_ago, 0) + 3),
        )
        for author, body in ((mentor_id, m.mentor_note), (owner.id, m.entrepreneur_note)):
            if body:
                meeting.notes.append(
                    MeetingNote(
                        author_id=author,
                        body=body,
                        updated_at=now - timedelta(days=max(m.days_ago, 0)),
                    )
                )
        db.session.add(meeting)
    last_sent: dict[int, datetime] = {}
    for side, days_ago, body in spec.messages:
        sent = now - timedelta(days=days_ago, hours=2)
        db.session.add(
            Message(mentorship_id=ship.id, sender_id=side_id[side], body=body, created_at=sent)
        )
        last_sent[side_id[side]] = sent
    # Each side has read the thread up to their own last message: the newest one is unread.
    for user_id, read in last_sent.items():
        db.session.add(ThreadRead(mentorship_id=ship.id, user_id=user_id, read_at=read))
    for side, (rating, comment) in spec.feedback.items():
        db.session.add(
            MentorshipFeedback(
                mentorship_id=ship.id,
                author_id=side_id[side],
                side=side,
                rating=rating,
                comment=comment,
                created_at=ship.ended_at or now,
            )
        )
    db.session.flush()


def _question(
    spec: DemoQuestion, owners: list[User], mentors: list[User], staff: User, now: datetime
) -> None:
    author = owners[spec.company - 1]
    exists = db.session.execute(
        select(Question.id).where(Question.author_id == author.id, Question.title == spec.title)
    ).first()
    if exists:
        return
    asked = now - timedelta(days=spec.days_ago, hours=spec.company)
    question = Question(
        author_id=author.id,
        title=spec.title,
        body=spec.body,
        is_public=spec.public,
        created_at=asked,
    )
    if spec.hidden_reason:
        question.hidden_at = asked + timedelta(hours=5)
        question.hidden_by_id = staff.id
        question.hidden_reason = spec.hidden_reason
    for mentor, days_ago, body, helpful in spec.answers:
        answered = now - timedelta(days=days_ago, hours=mentor)
        question.answers.append(
            Answer(
                author_id=mentors[mentor - 1].id,
                body=body,
                created_at=answered,
                helpful_at=answered + timedelta(hours=20) if helpful else None,
            )
        )
    db.session.add(question)
    db.session.flush()
