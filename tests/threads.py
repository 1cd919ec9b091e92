"""Running test code as another process of the portal would."""

import threading

from django.db import connection


def in_a_reader_thread(function):
    """Run ``function`` on a thread of its own, with its own database connection:
    a reader elsewhere, who sees only what is committed."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]
