"""Seed the recommendation register from the source document: the PCC for Dyfed-Powys's
published response to HMICFRS's April 2026 report on policing online child sexual abuse
and managing registered sex offenders (recommendations 1, 2, 4, 5, 6, 8, 10, 15 and 16,
points A–T). The English text is the report's; the Welsh is Vigil's translation.

Idempotent: an existing recommendation or point is left as it is (a force may have
changed its owner or status)."""

import datetime as dt

from django.db import migrations

OWNER_EN = "VAWG Delivery Group (chaired by the Deputy Chief Constable)"
OWNER_CY = (
    "Grŵp Cyflawni Trais yn erbyn Menywod a Merched (VAWG), dan gadeiryddiaeth y Dirprwy Brif "
    "Gwnstabl"
)

OCT_31 = dt.date(2026, 10, 31)
OCT_30 = dt.date(2026, 10, 30)
APR_30 = dt.date(2027, 4, 30)

RECOMMENDATIONS = {1: OCT_31, 2: APR_30, 4: OCT_31, 5: APR_30, 6: OCT_30, 8: OCT_31,
                   10: OCT_31, 15: OCT_31, 16: OCT_31}

POINTS = [
    (
        "A",
        1,
        "Review existing practices to make sure they use the Kent internet risk assessment tool "
        "and the prioritisation tool to prioritise referrals for all children and adult "
        "suspects.",
        "Adolygu arferion presennol i sicrhau eu bod yn defnyddio Offeryn Asesu Risg ar y "
        "Rhyngrwyd Caint (KIRAT) a'r offeryn blaenoriaethu i flaenoriaethu atgyfeiriadau ar "
        "gyfer pob plentyn ac oedolyn a amheuir.",
    ),
    (
        "B",
        1,
        "Review their procedures to make sure there is regular assessment of intelligence and "
        "risk for online child sexual abuse and exploitation suspects, both prior to "
        "enforcement and throughout the lifecycle of the investigation.",
        "Adolygu eu gweithdrefnau i sicrhau bod cudd-wybodaeth a risg yn cael eu hasesu'n "
        "rheolaidd ar gyfer pobl a amheuir o gam-drin a chamfanteisio'n rhywiol ar blant "
        "ar-lein, cyn camau gorfodi a thrwy gydol cylch oes yr ymchwiliad.",
    ),
    (
        "C",
        1,
        "Make sure investigations allocated outside online child sexual abuse and exploitation "
        "teams remain under the team's management oversight, including a central escalation "
        "policy.",
        "Sicrhau bod ymchwiliadau a ddyrennir y tu allan i dimau cam-drin a chamfanteisio'n "
        "rhywiol ar blant ar-lein yn parhau dan oruchwyliaeth reoli'r tîm, gan gynnwys polisi "
        "uwchgyfeirio canolog.",
    ),
    (
        "D",
        2,
        "Review existing staffing levels in online child sexual abuse and exploitation teams to "
        "make sure that they have enough officers and staff to manage demand effectively and "
        "that workloads are manageable.",
        "Adolygu'r lefelau staffio presennol mewn timau cam-drin a chamfanteisio'n rhywiol ar "
        "blant ar-lein i sicrhau bod ganddynt ddigon o swyddogion a staff i reoli'r galw'n "
        "effeithiol a bod llwythi gwaith yn hylaw.",
    ),
    (
        "E",
        4,
        "Review their online child sexual abuse procedures and make sure that arrest and bail "
        "is considered and recorded for all suspects.",
        "Adolygu eu gweithdrefnau ar gyfer cam-drin plant yn rhywiol ar-lein a sicrhau bod "
        "arestio a mechnïaeth yn cael eu hystyried a'u cofnodi ar gyfer pawb a amheuir.",
    ),
    (
        "F",
        4,
        "Make sure that when online child sexual abuse suspects are on bail, conditions are "
        "proactively checked at least once per applicable bail period.",
        "Sicrhau, pan fydd pobl a amheuir o gam-drin plant yn rhywiol ar-lein ar fechnïaeth, "
        "fod yr amodau'n cael eu gwirio'n rhagweithiol o leiaf unwaith ym mhob cyfnod "
        "mechnïaeth perthnasol.",
    ),
    (
        "G",
        5,
        "Make sure that third-party provision is in place to support families of online child "
        "sexual abuse suspects and that leaflets with contact details of support organisations "
        "are available.",
        "Sicrhau bod darpariaeth trydydd parti ar waith i gefnogi teuluoedd pobl a amheuir o "
        "gam-drin plant yn rhywiol ar-lein a bod taflenni â manylion cyswllt sefydliadau "
        "cymorth ar gael.",
    ),
    (
        "H",
        6,
        "Review their operating models and governance frameworks to make sure they have a "
        "consistent approach to managing registered sex offenders across all teams, including "
        "use of the Violent and Sex Offender Register in line with Home Office standards.",
        "Adolygu eu modelau gweithredu a'u fframweithiau llywodraethu i sicrhau bod ganddynt "
        "ddull cyson o reoli troseddwyr rhyw cofrestredig ar draws pob tîm, gan gynnwys "
        "defnyddio'r Gofrestr Troseddwyr Treisgar a Rhyw (ViSOR) yn unol â safonau'r Swyddfa "
        "Gartref.",
    ),
    (
        "I",
        6,
        "Review the data they collect, how they collect it and how it is presented and make "
        "sure that it represents what is on the Violent and Sex Offender Register to accurately "
        "assess and manage the risk of registered sex offenders.",
        "Adolygu'r data a gasglant, y ffordd y'u casglant a'r ffordd y'u cyflwynir, a sicrhau "
        "eu bod yn cynrychioli'r hyn sydd ar y Gofrestr Troseddwyr Treisgar a Rhyw er mwyn "
        "asesu a rheoli risg troseddwyr rhyw cofrestredig yn gywir.",
    ),
    (
        "J",
        8,
        "Use previous demand trends and review predicted demand for management of sexual "
        "offenders and violent offenders' teams for five years to make sure that they have "
        "enough offender managers and supervisors to manage this.",
        "Defnyddio tueddiadau galw blaenorol ac adolygu'r galw a ragwelir ar dimau rheoli "
        "troseddwyr rhyw a throseddwyr treisgar dros bum mlynedd i sicrhau bod ganddynt ddigon "
        "o reolwyr troseddwyr a goruchwylwyr i ymdopi ag ef.",
    ),
    (
        "K",
        8,
        "Make sure that management of sexual offenders and violent offenders team abstractions "
        "are recorded, reviewed, don't happen on a regular basis and don't have a negative "
        "effect on workload completion.",
        "Sicrhau bod achosion o dynnu aelodau timau rheoli troseddwyr rhyw a throseddwyr "
        "treisgar i ffwrdd o'u gwaith yn cael eu cofnodi a'u hadolygu, nad ydynt yn digwydd yn "
        "rheolaidd ac nad ydynt yn cael effaith negyddol ar gwblhau llwythi gwaith.",
    ),
    (
        "L",
        8,
        "Make sure that management of sexual offenders and violent offenders' teams have "
        "manageable numbers of outstanding active risk management systems assessments, risk "
        "management plans and visits and that these are assessed by both risk level and how "
        "overdue they are.",
        "Sicrhau bod gan dimau rheoli troseddwyr rhyw a throseddwyr treisgar niferoedd hylaw o "
        "asesiadau'r system rheoli risg weithredol (ARMS), cynlluniau rheoli risg ac ymweliadau "
        "sy'n weddill, a bod y rhain yn cael eu hasesu yn ôl lefel y risg ac yn ôl pa mor hwyr "
        "ydynt.",
    ),
    (
        "M",
        8,
        "Make sure that supervisors are completing reviews of active risk management systems "
        "assessments, risk management plans and visits promptly and within one month.",
        "Sicrhau bod goruchwylwyr yn cwblhau adolygiadau o asesiadau'r system rheoli risg "
        "weithredol (ARMS), cynlluniau rheoli risg ac ymweliadau yn brydlon ac o fewn mis.",
    ),
    (
        "N",
        10,
        "Home visits are unannounced and carried out in pairs to comply with the College of "
        "Policing authorised professional practice for the management of sexual offenders and "
        "violent offenders.",
        "Bod ymweliadau cartref yn ddirybudd ac yn cael eu cynnal gan ddau swyddog er mwyn "
        "cydymffurfio ag arfer proffesiynol awdurdodedig y Coleg Plismona ar gyfer rheoli "
        "troseddwyr rhyw a throseddwyr treisgar.",
    ),
    (
        "O",
        10,
        "Visits that don't comply with the authorised professional practice for the management "
        "of sexual offenders and violent offenders are authorised, the rationale is recorded on "
        "the Violent and Sex Offender Register and that a system is in place to allow "
        "assessment of the decision.",
        "Bod ymweliadau nad ydynt yn cydymffurfio â'r arfer proffesiynol awdurdodedig ar gyfer "
        "rheoli troseddwyr rhyw a throseddwyr treisgar yn cael eu hawdurdodi, bod y rhesymeg yn "
        "cael ei chofnodi ar y Gofrestr Troseddwyr Treisgar a Rhyw, a bod system ar waith i "
        "ganiatáu asesu'r penderfyniad.",
    ),
    (
        "P",
        10,
        "Any reactively-managed registered sex offenders meet the conditions set out in the "
        "authorised professional practice for the management of sexual offenders and violent "
        "offenders.",
        "Bod unrhyw droseddwyr rhyw cofrestredig a reolir yn adweithiol yn bodloni'r amodau a "
        "nodir yn yr arfer proffesiynol awdurdodedig ar gyfer rheoli troseddwyr rhyw a "
        "throseddwyr treisgar.",
    ),
    (
        "Q",
        10,
        "They carry out and assess Police National Database checks on registered sex "
        "offenders.",
        "Eu bod yn cynnal ac yn asesu gwiriadau ar Gronfa Ddata Genedlaethol yr Heddlu ar "
        "droseddwyr rhyw cofrestredig.",
    ),
    (
        "R",
        15,
        "Make sure psychological health screening is mandatory and provided at least annually "
        "(as per guidance from the National Police Wellbeing Service) for management of sexual "
        "offenders and violent offenders and online child sexual abuse and exploitation team "
        "members and supervisors with access to follow-on well-being services.",
        "Sicrhau bod sgrinio iechyd seicolegol yn orfodol ac yn cael ei ddarparu o leiaf unwaith "
        "y flwyddyn (yn unol â chanllawiau Gwasanaeth Llesiant Cenedlaethol yr Heddlu) ar gyfer "
        "aelodau a goruchwylwyr timau rheoli troseddwyr rhyw a throseddwyr treisgar a thimau "
        "cam-drin a chamfanteisio'n rhywiol ar blant ar-lein, gyda mynediad at wasanaethau "
        "llesiant dilynol.",
    ),
    (
        "S",
        15,
        "Make sure that management of sexual offenders and violent offenders and online child "
        "sexual abuse and exploitation team supervisors have regular trauma-informed training "
        "and knowledge sharing to identify signs of trauma, burnout and other well-being issues "
        "and that they can refer to and access timely support and treatment where needed.",
        "Sicrhau bod goruchwylwyr timau rheoli troseddwyr rhyw a throseddwyr treisgar a thimau "
        "cam-drin a chamfanteisio'n rhywiol ar blant ar-lein yn cael hyfforddiant rheolaidd sy'n "
        "ystyriol o drawma a chyfleoedd i rannu gwybodaeth er mwyn adnabod arwyddion trawma, "
        "gorflinder a phroblemau llesiant eraill, a'u bod yn gallu atgyfeirio at gymorth a "
        "thriniaeth amserol, a chael gafael arnynt, pan fo angen.",
    ),
    (
        "T",
        16,
        "Make sure that they have a strong service level agreement in place with the Probation "
        "Service and that they have a two-way process for review, feedback and escalation to "
        "make sure safeguarding opportunities aren't being missed.",
        "Sicrhau bod ganddynt gytundeb lefel gwasanaeth cadarn ar waith gyda'r Gwasanaeth Prawf "
        "a bod ganddynt broses ddwyffordd ar gyfer adolygu, adborth ac uwchgyfeirio er mwyn "
        "sicrhau nad yw cyfleoedd i ddiogelu yn cael eu colli.",
    ),
]


def seed(apps, schema_editor):
    Recommendation = apps.get_model("assurance", "Recommendation")
    Point = apps.get_model("assurance", "Point")
    by_number = {}
    for number, deadline in RECOMMENDATIONS.items():
        by_number[number], _ = Recommendation.objects.get_or_create(
            number=number, defaults={"deadline": deadline}
        )
    for letter, number, text_en, text_cy in POINTS:
        Point.objects.get_or_create(
            letter=letter,
            defaults={
                "recommendation": by_number[number],
                "text_en": text_en,
                "text_cy": text_cy,
                "owner_en": OWNER_EN,
                "owner_cy": OWNER_CY,
                "status": "in_progress",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_recommendation_register")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
