import pytest

from kindred.core import audit
from kindred.core.models import AuditEntry


def test_it_records_who_saw_whose_data_without_content(world):
    entry = audit.record(
        actor=world.cora,
        subject=world.alice,
        action="viewed",
        target="role record",
        role="coordinator",
    )
    assert entry.actor_label == "Cora (coordinator)"
    assert entry.subject == world.alice


def test_entries_cannot_be_changed_or_deleted(world):
    entry = audit.record(actor=world.cora, subject=world.alice, action="viewed", target="x")
    entry.target = "something else"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_reading_a_list_writes_one_entry_per_other_person_in_one_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        count = audit.record_reads(
            actor=world.cora,
            subjects=[world.alice, world.bob, world.alice, world.cora],
            target="list",
        )
    assert count == 2
    assert set(AuditEntry.objects.values_list("subject__display_name", flat=True)) == {
        "Alice",
        "Bob",
    }
