"""The safety layer's categories, each with its own door (content/crisis.yml).

The order is the priority when one message matches several: the first names the most urgent
door (a suicide attempt needs 113 and 112; exhaustion with a fall needs 112 first).
"""

from __future__ import annotations

CATEGORIES = ("suicide", "medical", "abuse", "danger_home", "care_loss", "carer_exhaustion")
