"""The load benchmark's saturation figure: where p95 passes the limit, between steps."""
from benchmarks.load import crossing


def row(throughput: float, p95: float, errors: int = 0) -> dict:
    return {"throughput": throughput, "p95": p95, "errors": errors}


def test_interpolates_between_the_last_step_under_and_the_first_over_the_limit():
    assert crossing([row(10, 200), row(20, 800), row(30, 1200)]) == 25.0


def test_all_steps_under_the_limit_gives_the_highest_throughput():
    assert crossing([row(10, 200), row(20, 800)]) == 20.0


def test_a_step_with_errors_ends_the_search_without_interpolation():
    assert crossing([row(10, 200), row(20, 800), row(30, 900, errors=3)]) == 20.0


def test_over_the_limit_from_the_first_step_gives_nothing():
    assert crossing([row(10, 1500)]) == 0.0
