"""Keys of the custom payloads the actions send to the web service (not shown to the citizen)."""

from __future__ import annotations

# The next user message is a persoonlijk-plan answer: the service does not store it.
PRIVATE_ANSWER = "private_answer"
# The bot message just before repeats plan answers (the summary): the service does not store it.
PRIVATE_REPLY = "private_reply"
# Placeholders stored instead of the text, so staff see that something was said, not what.
PRIVATE_ANSWER_TEXT = "[antwoord voor het persoonlijk plan, niet bewaard]"
PRIVATE_REPLY_TEXT = "[overzicht van het persoonlijk plan, niet bewaard]"
