"""Words the programme uses for topics, stages and ways to talk (plain data, no Django)."""

TOPICS = [
    ("exams", "Exams and assessments"),
    ("placements", "Placements"),
    ("burnout", "Burnout and exhaustion"),
    ("stress", "Stress and anxiety"),
    ("low_mood", "Feeling low"),
    ("bereavement", "Bereavement and loss"),
    ("relationships", "Relationships, family and friends"),
    ("identity", "Identity and belonging"),
    ("racism", "Racism and discrimination"),
    ("disability", "Disability and long-term conditions"),
    ("money", "Money worries"),
    ("feeling_behind", "Feeling behind or not good enough"),
    ("clinical_experience", "Something upsetting on the wards"),
    ("career", "Career doubts"),
    ("sleep", "Sleep"),
    ("other", "Something else"),
]
TOPIC_LABELS = dict(TOPICS)
# Topics that tend to be heavy for the supporter: spread them across the team.
DIFFICULT_TOPICS = frozenset({"bereavement", "clinical_experience", "low_mood", "racism"})

STAGES = [
    ("Year 1", "Year 1"),
    ("Year 2", "Year 2"),
    ("Year 3", "Year 3"),
    ("Year 4", "Year 4"),
    ("Year 5", "Year 5"),
    ("Year 6", "Year 6"),
    ("FY1", "Foundation year 1"),
    ("FY2", "Foundation year 2"),
    ("Specialty training", "Specialty training"),
]

IDENTITIES = [
    ("first_in_family", "First in my family to go to university"),
    ("lgbtq", "LGBTQ+"),
    ("global_majority", "Black, Asian or minority ethnic"),
    ("international", "International student"),
    ("disabled", "Disabled or neurodivergent"),
    ("carer", "Parent or carer"),
    ("mature", "Mature or graduate-entry student"),
    ("faith", "Person of faith"),
]
IDENTITY_LABELS = dict(IDENTITIES)

LANGUAGES = [
    "English",
    "Welsh",
    "Irish",
    "French",
    "Spanish",
    "Arabic",
    "Urdu",
    "Hindi",
    "Punjabi",
    "Bengali",
    "Polish",
    "Mandarin",
    "Cantonese",
    "Yoruba",
    "BSL",
]

GENDERS = [
    ("", "No preference"),
    ("woman", "A woman"),
    ("man", "A man"),
    ("non_binary", "A non-binary person"),
]

WAYS_TO_TALK = [
    ("chat", "Chat here on Kindred"),
    ("call", "A phone call"),
    ("video", "A video call"),
    ("in_person", "In person"),
    ("office_hours", "At office hours"),
]
