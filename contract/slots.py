"""Slot names both runtimes must agree on: the actions clear them, the tracker store redacts
them."""

from __future__ import annotations

# The handoff form's answers: cleared after each handoff (actions/handoff_actions.py).
HANDOFF_SLOTS = (
    "handoff_target",
    "handoff_organisation",
    "handoff_method",
    "handoff_phone",
    "handoff_part_of_day",
    "handoff_email",
    "handoff_consent",
)
# Slots filled from what the person typed (from_text) or holding plan answers (flow_state): the
# tracker store keeps them redacted (dialogue_store/tracker_store.py).
TYPED_SLOTS = frozenset({*HANDOFF_SLOTS, "flow_state", "flow_input"})
