"""Speed and memory targets live here (`make bench`), never in timed tests."""
