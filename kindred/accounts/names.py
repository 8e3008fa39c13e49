"""Generated display names such as "Quiet Heron": pseudonymous by default."""

import secrets
from collections.abc import Callable

ADJECTIVES = [
    "Quiet",
    "Gentle",
    "Bright",
    "Calm",
    "Steady",
    "Kind",
    "Brave",
    "Patient",
    "Warm",
    "Clear",
    "Hopeful",
    "Curious",
    "Thoughtful",
    "Open",
    "Bold",
    "Soft",
    "Swift",
    "Wise",
    "Honest",
    "Cheerful",
    "Mellow",
    "Sunny",
    "Silver",
    "Golden",
    "Amber",
    "Misty",
    "Dawn",
    "Evening",
    "Spring",
    "Autumn",
    "Winter",
    "Summer",
    "Coral",
    "Jade",
    "Cedar",
    "Willow",
    "Maple",
    "River",
    "Meadow",
    "Harbour",
]
ANIMALS = [
    "Heron",
    "Otter",
    "Wren",
    "Badger",
    "Fox",
    "Hare",
    "Robin",
    "Finch",
    "Owl",
    "Swift",
    "Kestrel",
    "Seal",
    "Puffin",
    "Deer",
    "Lark",
    "Beaver",
    "Dolphin",
    "Falcon",
    "Sparrow",
    "Swan",
    "Crane",
    "Panda",
    "Koala",
    "Lynx",
    "Marten",
    "Plover",
    "Starling",
    "Tern",
    "Turtle",
    "Whale",
    "Bee",
    "Moth",
    "Dormouse",
    "Hedgehog",
    "Kingfisher",
    "Osprey",
    "Pelican",
    "Magpie",
]


def random_display_name() -> str:
    return f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)}"


def unique_display_name(is_taken: Callable[[str], bool]) -> str:
    """A random name not yet taken; adds a number once the plain names run short."""
    for _ in range(20):
        name = random_display_name()
        if not is_taken(name):
            return name
    while True:
        name = f"{random_display_name()} {secrets.randbelow(9000) + 1000}"
        if not is_taken(name):
            return name
