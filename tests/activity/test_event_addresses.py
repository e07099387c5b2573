"""A list of events builds its links from one url_for per kind: the same links as one each."""

from types import SimpleNamespace

import pytest

import workspace.models  # noqa: F401 (every domain's models, and so every item kind)
from workspace import items
from workspace.links import EventAddresses, event_url


@pytest.mark.parametrize("subject_type", sorted(kind.name for kind in items.kinds() if kind.page))
@pytest.mark.parametrize("target_type", ["same", "comment"])
def test_a_lists_addresses_are_each_events_own(app, subject_type, target_type):
    events = [
        SimpleNamespace(subject_type=subject_type, project_id=project_id, subject_id=item_id,
                        target_type=subject_type if target_type == "same" else "comment",
                        target_id=item_id + 7)
        for project_id, item_id in [(1, 1), (12, 987654321), (987654321, 30), (7, 0)]
    ]
    with app.test_request_context(base_url="https://example.org/workspace/"):
        addresses = EventAddresses(external=True)
        assert [addresses.of(event) for event in events] == [
            event_url(event, external=True) for event in events]
