"""Extensions Rasa loads by module path in the production profile (deploy/endpoints.yml)."""
