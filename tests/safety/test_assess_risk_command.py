import io
import json

from django.core.management import call_command


def test_it_prints_one_json_assessment_per_line_read():
    out = io.StringIO()
    call_command(
        "assess_risk",
        stdin=io.StringIO("I want to die\nthe bus was late again today\n\n"),
        stdout=out,
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"level": "high", "reasons": ["wish_to_die"]},
        {"level": "none", "reasons": []},
        {"level": "none", "reasons": ["not assessed", "empty"]},
    ]
