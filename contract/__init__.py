"""Facts both runtimes share (the web service on Python 3.11, Rasa's actions on 3.10).

Pure Python, no third-party imports, installed in both environments, so a fact is written
down once: opening hours are read the same way by the staff presence check and the safety
layer's "which door is open now".
"""
