-- Rasa's tracker store gets its own database next to the service's.
CREATE DATABASE rasa_tracker OWNER wlz;
