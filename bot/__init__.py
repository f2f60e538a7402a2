"""Wlz-wegwijzer web service: chat API and widget, staff portal, storage."""
