"""Demo content for peer support: supporter profiles and one open conversation."""

import datetime

from django.utils import timezone

from kindred.accounts.models import Organisation, User
from kindred.support.models import Conversation, Message, Offer, SupporterProfile, SupportRequest

PROFILES = {
    "supporter@example.org": {
        "topics": ["exams", "stress", "feeling_behind", "placements", "sleep"],
        "languages": ["English", "Welsh"],
        "stage": "Year 4",
        "identities": ["first_in_family"],
        "gender": "woman",
        "capacity": 3,
    },
    "supporter2@example.org": {
        "topics": ["bereavement", "clinical_experience", "relationships", "identity", "racism"],
        "languages": ["English", "Urdu"],
        "stage": "FY1",
        "identities": ["global_majority", "lgbtq"],
        "gender": "man",
        "capacity": 2,
    },
}
DEMO_MESSAGES = [
    (
        "member@example.org",
        "Hi. I'm not really sure how this works. I've just been finding "
        "placements really hard and I don't feel like I'm keeping up.",
    ),
    (
        "supporter@example.org",
        "Hi, thank you for reaching out. That sounds tough, and a lot of "
        "people feel that way on placement. Would you like to tell me a bit more?",
    ),
    (
        "member@example.org",
        "Mostly I freeze when the consultant asks me questions on the ward "
        "round. Then I go home and replay it all night.",
    ),
]


def seed_demo(stdout) -> None:
    school = Organisation.objects.filter(slug="st-elsewhere").first()
    if school is None:
        return
    for email, fields in PROFILES.items():
        user = User.objects.filter(email=email).first()
        if user:
            SupporterProfile.objects.update_or_create(
                user=user, organisation=school, defaults=fields
            )
    member = User.objects.get(email="member@example.org")
    supporter = User.objects.get(email="supporter@example.org")
    if Conversation.objects.filter(member=member, supporter=supporter).exists():
        return
    started = timezone.now() - datetime.timedelta(hours=3)
    request = SupportRequest.objects.create(
        member=member,
        organisation=school,
        body="Placements are hard and I feel behind.",
        topics=["placements", "feeling_behind"],
        urgency="this_week",
        ways_to_talk=["chat"],
        share_topics=True,
        status=SupportRequest.Status.MATCHED,
        created_at=started,
        matched_at=started + datetime.timedelta(minutes=40),
    )
    Offer.objects.create(
        request=request,
        supporter=SupporterProfile.objects.get(user=supporter, organisation=school),
        score=1.0,
        reasons=["knows about placements", "has room this week"],
        status=Offer.Status.ACCEPTED,
        created_at=started,
        expires_at=started + datetime.timedelta(hours=24),
        responded_at=started + datetime.timedelta(minutes=40),
    )
    conversation = Conversation.objects.create(
        request=request,
        organisation=school,
        member=member,
        supporter=supporter,
        opened_at=started + datetime.timedelta(minutes=40),
    )
    people = {"member@example.org": member, "supporter@example.org": supporter}
    for i, (email, body) in enumerate(DEMO_MESSAGES):
        Message.objects.create(
            conversation=conversation,
            sender=people[email],
            body=body,
            client_id=f"demo-{i}",
            sent_at=started + datetime.timedelta(minutes=45 + i * 7),
            read_at=started + datetime.timedelta(minutes=50 + i * 7),
        )
    stdout.write("Peer support demo: supporter profiles and one open conversation.")
