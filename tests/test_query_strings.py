"""Numbers in query strings that no database column could hold get the default page, not a
500 from an integer overflow in the driver."""

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize("query", [
    "/projects/{p}/messages?page=" + HUGE,
    "/projects/{p}/messages?page=-5",
    "/projects/{p}/files?page=" + HUGE,
    "/projects/{p}/files?page=0",
    "/activity?before=" + HUGE,
])
def test_out_of_range_numbers_fall_back_to_the_first_page(make, client_for, query):
    owner = make.user("Owner")
    project = make.project(owner=owner)
    assert client_for(owner).get(query.format(p=project.id)).status_code == 200

