"""Seed the directory of support organisations for suspects' families (point G).

Only the organisations' public website addresses are given: every telephone number,
e-mail address and opening time is left for the force to check and fill in before the
directory is used (details_confirmed_at stays empty, and the pages and leaflets say so).
"""

from django.db import migrations

CHECK = (
    "To be confirmed by the force: check the contact details on the organisation's website "
    "before giving this leaflet to anyone."
)

ORGANISATIONS = [
    {
        "position": 10,
        "name_en": "Stop It Now! helpline (Lucy Faithfull Foundation)",
        "name_cy": "Llinell gymorth Stop It Now! (Lucy Faithfull Foundation)",
        "description_cy": (
            "Llinell gymorth gyfrinachol i unrhyw un sy'n poeni am ei feddyliau neu ei ymddygiad "
            "rhywiol ei hun tuag at blant, neu am rai rhywun arall, gan gynnwys aelodau o deulu "
            "rhywun a arestiwyd am droseddau ar-lein."
        ),
        "description_en": (
            "A confidential helpline for anyone worried about their own sexual thoughts or "
            "behaviour towards children, or about someone else's, including family members of "
            "a person arrested for online offences."
        ),
        "website": "https://www.stopitnow.org.uk/",
    },
    {
        "position": 20,
        "name_en": "Inform (Lucy Faithfull Foundation)",
        "name_cy": "Inform (Lucy Faithfull Foundation)",
        "description_cy": (
            "Rhaglen ar gyfer partneriaid, perthnasau a ffrindiau pobl sydd wedi'u harestio, "
            "eu rhybuddio neu eu collfarnu am droseddau rhywiol ar-lein yn ymwneud â phlant: "
            "gwybodaeth a chymorth iddyn nhw a'u plant."
        ),
        "description_en": (
            "A programme for the partners, relatives and friends of people arrested, "
            "cautioned or convicted for online sexual offences involving children: "
            "information and support for them and their children."
        ),
        "website": "https://www.lucyfaithfull.org.uk/",
    },
    {
        "position": 30,
        "name_en": "Safer Lives",
        "name_cy": "Safer Lives",
        "description_cy": (
            "Cymorth i bobl sy'n destun ymchwiliad am droseddau rhywiol, gan gynnwys troseddau "
            "ar-lein, ac i'w teuluoedd."
        ),
        "description_en": (
            "Support for people under investigation for sexual offences, including online "
            "offences, and for their families."
        ),
        "website": "https://www.saferlives.co.uk/",
    },
    {
        "position": 40,
        "name_en": "NWG Network: directory of support for families",
        "name_cy": "Rhwydwaith NWG: cyfeiriadur cymorth i deuluoedd",
        "description_cy": (
            "Cyfeiriadur Rhwydwaith NWG o wasanaethau sy'n cefnogi teuluoedd y mae cam-drin "
            "a chamfanteisio rhywiol ar blant wedi effeithio arnyn nhw."
        ),
        "description_en": (
            "The NWG Network's directory of services that support families affected by child "
            "sexual abuse and exploitation."
        ),
        "website": "https://www.nwgnetwork.org/",
    },
]


def seed(apps, schema_editor):
    SupportOrganisation = apps.get_model("investigations", "SupportOrganisation")
    for values in ORGANISATIONS:
        if not SupportOrganisation.objects.filter(name_en=values["name_en"]).exists():
            SupportOrganisation.objects.create(details_note=CHECK, **values)


def unseed(apps, schema_editor):
    SupportOrganisation = apps.get_model("investigations", "SupportOrganisation")
    SupportOrganisation.objects.filter(
        name_en__in=[o["name_en"] for o in ORGANISATIONS], details_confirmed_at__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("investigations", "0004_bail_and_family_support")]

    operations = [migrations.RunPython(seed, unseed)]
