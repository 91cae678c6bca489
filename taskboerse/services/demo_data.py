"""Fictitious Danish demo content: companies, tasks and graduates. No real people or firms."""

COMPANIES = [
    ("Fjordlys ApS", "Lars Fjord"),
    ("Hvedebrød & Co. IVS", "Mette Bager"),
    ("Grøn Cykel Logistik ApS", "Jonas Kæde"),
    ("Nordlig Kaffe ApS", "Sofie Brønd"),
    ("Tanggaard Tekstil ApS", "Henrik Tanggaard"),
    ("Klimakompasset ApS", "Ida Vestergaard"),
    ("Byens Bogholderi ApS", "Peter Krone"),
    ("Pixelhavn Design ApS", "Nanna Holm"),
    ("Strandvejens Event ApS", "Mikkel Sand"),
    ("Lovligt Start-up Rådgivning ApS", "Camilla Paragraf"),
    ("Solsikke Energi ApS", "Anders Solgaard"),
    ("Mølle Mad ApS", "Rikke Møller"),
]

# (title, description, required skills, nice skills, hours, remote, learning, field)
TASKS = [
    ("Markedsanalyse for ny kaffebar", "Vi vil åbne en kaffebar i Aalborg og har brug for en analyse af konkurrenter, målgrupper og prisniveau i midtbyen.", "Markedsanalyse, Excel", "Spørgeskemaundersøgelser", 30, False, "Du lærer at omsætte data til en konkret forretningsbeslutning.", "marketing"),
    ("Strategi for sociale medier", "Lav en plan for vores Instagram og LinkedIn de næste tre måneder, med målgrupper, indholdstyper og en kalender.", "Sociale medier, Markedsføringsstrategi", "Tekstforfatning", 25, True, "Du får erfaring med at lægge en SoMe-strategi for en rigtig virksomhed.", "marketing"),
    ("SEO-gennemgang af webshop", "Gennemgå vores webshop for søgemaskineoptimering og giv en prioriteret liste over forbedringer.", "Søgemaskineoptimering", "WordPress, Dataanalyse", 20, True, "Du lærer SEO-værktøjer og at prioritere tekniske forbedringer.", "marketing"),
    ("Nyhedsbrev til faste kunder", "Opsæt og skriv de første tre nyhedsbreve til vores kunder, inkl. skabelon og segmentering.", "E-mailmarkedsføring, Tekstforfatning", "Grafisk design", 15, True, "Du får et færdigt kampagneforløb i din portefølje.", "marketing"),
    ("Kundetilfredshedsundersøgelse", "Design, gennemfør og analyser en spørgeskemaundersøgelse blandt 300 kunder.", "Spørgeskemaundersøgelser, Statistik", "Excel, Datavisualisering", 35, True, "Du lærer hele forløbet fra spørgsmål til anbefalinger.", "data"),
    ("Salgsdashboard i Power BI", "Byg et dashboard over salg pr. butik og måned ud fra vores eksport fra kassesystemet.", "Power BI, Dataanalyse", "SQL", 30, True, "Du lærer at bygge et dashboard, som ledelsen bruger hver uge.", "data"),
    ("Python-script til lagerdata", "Skriv et Python-script, der renser og samler lagerdata fra tre leverandører i ét regneark.", "Python, Dataanalyse", "Excel, Automatisering", 25, True, "Du får erfaring med datarensning på rigtige data.", "data"),
    ("Analyse af cykelruter", "Analyser GPS-data fra vores ladcykler og foreslå mere effektive ruter i København.", "Dataanalyse, Logistik", "Python, Datavisualisering", 40, False, "Du lærer at kombinere data og drift.", "data"),
    ("Prognose for efterspørgsel", "Lav en enkel prognosemodel for ugentlig efterspørgsel efter brød baseret på to års salgsdata.", "Statistik, Excel", "Python, Maskinlæring", 30, True, "Du arbejder med tidsserier og præsenterer for ejeren.", "data"),
    ("Budget i Excel for 2027", "Opstil et driftsbudget for næste år med scenarier for omsætning og lønudgifter.", "Budgettering, Excel", "Finansiel analyse", 20, True, "Du lærer budgetlægning i en lille virksomhed.", "finance"),
    ("Prisstrategi for nye produkter", "Analyser vores omkostninger og konkurrenters priser, og foreslå priser for fem nye produkter.", "Prissætning, Finansiel analyse", "Markedsanalyse", 25, True, "Du lærer at sætte priser ud fra data.", "finance"),
    ("Forretningsplan til banken", "Hjælp med at skrive en forretningsplan og et likviditetsbudget til et lånemøde.", "Forretningsplan, Budgettering", "Præsentationer", 35, False, "Du ser, hvordan en bank vurderer en virksomhed.", "finance"),
    ("Fondsansøgning til grønt projekt", "Skriv en ansøgning til en fond om støtte til vores genbrugsprojekt.", "Fondsansøgninger, Tekstforfatning", "Bæredygtighed", 30, True, "Du lærer at skrive overbevisende ansøgninger.", "finance"),
    ("Opsætning af bogføring", "Gennemgå vores bogføring, opsæt kontoplan og lav en vejledning til månedlig afstemning.", "Regnskab", "Skat og moms", 20, True, "Du får praktisk erfaring med bogføringssystemer.", "finance"),
    ("Nøgletalsanalyse af tre år", "Analyser vores årsregnskaber for tre år og forklar udviklingen i nøgletal for bestyrelsen.", "Finansiel analyse, Regnskab", "Præsentationer", 15, True, "Du lærer at formidle økonomi til ikke-økonomer.", "finance"),
    ("Kommunikationsplan for åbning", "Lav en kommunikationsplan for åbningen af vores nye butik, inkl. presse og lokale medier.", "Kommunikation, Presse og PR", "Sociale medier", 20, False, "Du prøver kræfter med strategisk kommunikation.", "communication"),
    ("Webtekster på dansk og engelsk", "Skriv nye tekster til vores hjemmeside på dansk og engelsk med fokus på klart sprog.", "Tekstforfatning, Engelsk", "Søgemaskineoptimering", 20, True, "Du får tekster i din portefølje og lærer at skrive til web.", "communication"),
    ("Korrektur på kundemateriale", "Læs korrektur på 40 sider kundemateriale og ensret sprog og tone.", "Korrekturlæsning, Dansk", "", 12, True, "Du lærer at arbejde med en tone-of-voice.", "communication"),
    ("Oversættelse af produktkatalog", "Oversæt vores produktkatalog fra dansk til tysk og engelsk.", "Oversættelse, Tysk", "Engelsk", 30, True, "Du får erfaring med fagsprog og terminologi.", "communication"),
    ("Pressemeddelelse om ny investering", "Skriv en pressemeddelelse og en kort medieliste om vores nye investering.", "Presse og PR", "Kommunikation", 10, True, "Du lærer pressearbejde i praksis.", "communication"),
    ("Ny WordPress-hjemmeside", "Byg en enkel hjemmeside i WordPress med fem sider og kontaktformular.", "WordPress, Webudvikling", "UX-design", 35, True, "Du får et færdigt website i din portefølje.", "it"),
    ("Tilgængelighedstjek af website", "Gennemgå vores website efter WCAG 2.1 AA og giv en rapport med prioriterede rettelser.", "Webtilgængelighed", "Webudvikling", 20, True, "Du lærer tilgængelighedskrav, som offentlige kunder stiller.", "it"),
    ("Automatisering af fakturaflow", "Automatiser vores fakturaflow mellem webshop og regnskabsprogram.", "Automatisering", "Fakturering, Python", 25, True, "Du lærer at koble systemer sammen.", "it"),
    ("IT-sikkerhed i en lille virksomhed", "Lav en gennemgang af vores IT-sikkerhed og en kort politik for medarbejderne.", "IT-sikkerhed", "GDPR og databeskyttelse", 20, False, "Du lærer sikkerhedsarbejde i en lille organisation.", "it"),
    ("Database over kunder", "Saml vores kundedata i en simpel SQL-database med rapporter.", "SQL, Databaser", "Python", 30, True, "Du designer en database fra bunden.", "it"),
    ("GDPR-gennemgang", "Gennemgå hvordan vi behandler persondata, og lav privatlivspolitik og databehandleraftaler.", "GDPR og databeskyttelse", "Juridisk research", 25, True, "Du lærer databeskyttelse i praksis.", "law"),
    ("Handelsbetingelser til webshop", "Udarbejd handelsbetingelser til vores webshop efter dansk forbrugerlovgivning.", "Kontraktret, Juridisk research", "", 15, True, "Du får erfaring med forbrugerret.", "law"),
    ("Ansættelseskontrakter", "Lav skabeloner til ansættelseskontrakter for timelønnede og funktionærer.", "Ansættelsesret", "Kontraktret", 15, True, "Du lærer ansættelsesretlige krav.", "law"),
    ("Varemærkeregistrering", "Undersøg om vores navn kan registreres som varemærke i EU og forbered ansøgningen.", "Immaterialret, Juridisk research", "", 12, True, "Du lærer om varemærkeret.", "law"),
    ("Vedtægter ved kapitalrejsning", "Gennemgå vores vedtægter og ejeraftale før en kapitalrejsning.", "Selskabsret", "Kontraktret", 20, False, "Du får indblik i selskabsret ved investeringer.", "law"),
    ("Logo og visuel identitet", "Design et nyt logo og en enkel designmanual til vores café.", "Grafisk design, Adobe Illustrator", "", 30, True, "Du får et identitetsprojekt i din portefølje.", "design"),
    ("Brugertest af bookingflow", "Gennemfør fem brugertests af vores bookingflow og foreslå forbedringer i Figma.", "UX-design, Interviews", "Figma", 25, False, "Du lærer brugertest og prototyping.", "design"),
    ("Produktfotos til webshop", "Tag og redigér fotos af 30 produkter til webshoppen.", "Fotografering, Adobe Photoshop", "", 20, False, "Du lærer produktfotografering.", "design"),
    ("Video til rekruttering", "Optag og klip en kort video, der viser arbejdspladsen til jobopslag.", "Videoredigering", "Sociale medier", 20, False, "Du får erfaring med videoproduktion fra idé til færdig film.", "design"),
    ("Klimaregnskab scope 1 og 2", "Opgør vores CO2-udledning for scope 1 og 2 og foreslå tre tiltag.", "CO2-regnskab, Excel", "Bæredygtighed", 30, True, "Du lærer GHG-protokollen i praksis.", "sustainability"),
    ("Cirkulær forretningsmodel", "Undersøg hvordan vi kan genbruge tekstilrester i en cirkulær forretningsmodel.", "Cirkulær økonomi, Markedsanalyse", "Bæredygtighed", 35, True, "Du arbejder med cirkulær økonomi i en rigtig virksomhed.", "sustainability"),
    ("Livscyklusvurdering af emballage", "Sammenlign tre emballagetyper med en forenklet livscyklusvurdering.", "Livscyklusvurdering", "Dataanalyse", 30, True, "Du lærer LCA-metoden.", "sustainability"),
    ("Energigennemgang af produktion", "Kortlæg energiforbruget i vores bageri og find besparelser.", "Energieffektivisering", "Excel, Dataanalyse", 25, False, "Du lærer energiledelse.", "sustainability"),
    ("Miljøpolitik og ESG-rapport", "Skriv vores første miljøpolitik og en kort ESG-rapport til kunder.", "Miljøpolitik, Rapportskrivning", "Bæredygtighed", 25, True, "Du lærer ESG-rapportering.", "sustainability"),
    ("Event: åbent hus for iværksættere", "Planlæg og afvikl et åbent hus for 80 gæster med oplæg og netværk.", "Eventplanlægning, Kommunikation", "Sociale medier", 30, False, "Du lærer eventplanlægning fra budget til afvikling.", "communication"),
    ("Rekrutteringsproces for sæsonansatte", "Design en rekrutteringsproces for 10 sæsonansatte, inkl. jobopslag og interviewguide.", "Rekruttering, Interviews", "Kommunikation", 20, True, "Du lærer HR-arbejde i en lille virksomhed.", "general"),
    ("Procesoptimering i pakkeriet", "Kortlæg arbejdsgangene i vores pakkeri og foreslå forbedringer med lean.", "Procesoptimering, Logistik", "Dataanalyse", 30, False, "Du lærer lean i praksis.", "general"),
]

FIRST_NAMES = [
    "Emma", "Noah", "Ida", "Oliver", "Freja", "William", "Clara", "Lucas", "Sofia", "Oscar",
    "Alma", "Malthe", "Ella", "Victor", "Karla", "Emil", "Agnes", "Alfred", "Josefine", "Carl",
]
LAST_NAMES = ["Andersen", "Kristiansen", "Lund", "Dahl", "Bech", "Skov"]

# (degree level, field, institution, skills, languages)
EDUCATIONS = [
    ("master", "Cand.merc. i marketing", "Copenhagen Business School", "Markedsanalyse, Sociale medier, Excel, Markedsføringsstrategi", "Dansk, Engelsk"),
    ("master", "Cand.polit. (økonomi)", "Københavns Universitet", "Statistik, Excel, Finansiel analyse, Python", "Dansk, Engelsk"),
    ("master", "Cand.scient. i data science", "IT-Universitetet", "Python, SQL, Maskinlæring, Datavisualisering", "Dansk, Engelsk"),
    ("master", "Cand.jur.", "Aarhus Universitet", "Kontraktret, GDPR, Juridisk research, Selskabsret", "Dansk, Engelsk, Tysk"),
    ("master", "Cand.comm.", "Roskilde Universitet", "Kommunikation, Tekstforfatning, Presse og PR, Sociale medier", "Dansk, Engelsk"),
    ("professional_bachelor", "Multimediedesigner", "Erhvervsakademi Aarhus", "Grafisk design, Adobe Photoshop, Figma, WordPress", "Dansk, Engelsk"),
    ("master", "Cand.scient. i miljøplanlægning", "Aalborg Universitet", "Bæredygtighed, CO2-regnskab, Livscyklusvurdering, Rapportskrivning", "Dansk, Engelsk"),
    ("bachelor", "HA i erhvervsøkonomi", "Syddansk Universitet", "Regnskab, Budgettering, Excel, Forretningsplan", "Dansk, Engelsk"),
    ("master", "Cand.it. i interaktionsdesign", "Aalborg Universitet", "UX-design, Interviews, Figma, Webtilgængelighed", "Dansk, Engelsk"),
    ("master", "Cand.mag. i tysk og engelsk", "Københavns Universitet", "Oversættelse, Korrekturlæsning, Tysk, Engelsk", "Dansk, Tysk, Engelsk"),
    ("master", "Cand.soc. i organisation", "Copenhagen Business School", "Projektledelse, Rekruttering, Procesoptimering, Interviews", "Dansk, Engelsk"),
    ("phd", "Ph.d. i energiteknik", "Danmarks Tekniske Universitet", "Energieffektivisering, Dataanalyse, Python, Statistik", "Engelsk, Dansk"),
]

POSTCODES = ["1050", "2200", "2300", "2400", "2800", "4000", "5000", "6000", "7100", "8000", "8200", "9000"]

REFERENCES = [
    "Grundigt arbejde leveret til tiden. Vi bruger allerede resultatet i hverdagen.",
    "Selvstændig og nysgerrig. Kom med gode forslag, vi ikke selv havde tænkt på.",
    "Professionel kommunikation og et flot slutprodukt. Kan varmt anbefales.",
]
