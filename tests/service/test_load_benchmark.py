"""The load benchmark's saturation figures: where p95 passes the limit, between steps."""

from benchmarks.load import crossing, peak


def row(throughput: float, p95: float, errors: int = 0) -> dict:
    return {"throughput": throughput, "p95": p95, "errors": errors}


def test_interpolates_between_the_last_step_under_and_the_first_over_the_limit():
    assert crossing([row(10, 200), row(20, 800), row(30, 1200)]) == (25.0, True)


def test_falling_throughput_past_the_peak_is_what_counts_at_the_crossing():
    rows = [row(40, 300), row(50, 900), row(46, 1100)]
    assert crossing(rows) == (48.0, True)
    assert peak(rows) == 50


def test_never_passing_the_limit_gives_the_last_step_as_a_lower_bound():
    assert crossing([row(10, 200), row(20, 800)]) == (20.0, False)


def test_a_step_with_errors_ends_the_search_at_the_step_before():
    assert crossing([row(10, 200), row(20, 800), row(30, 900, errors=3)]) == (20.0, True)


def test_over_the_limit_from_the_first_step_gives_nothing():
    assert crossing([row(10, 1500)]) == (0.0, True)
    assert peak([row(10, 1500)]) == 0.0


def test_an_empty_reply_or_the_services_own_fallback_is_not_an_answer():
    from benchmarks.load import answered

    assert answered("service", {"messages": [{"sender": "bot", "text": "De Wlz is ..."}]})
    assert not answered("service", {"messages": []})
    assert not answered(
        "service", {"messages": [{"sender": "system", "text": "Sorry, ik kan u nu even geen"}]}
    )
    assert answered("rasa", [{"recipient_id": "x", "text": "De Wlz is ..."}])
    assert not answered("rasa", [])
    assert not answered("rasa", [{"recipient_id": "x", "custom": {"topic": "ask_wlz_what"}}])
