"""Readers that misbehave on purpose, run by tests/test_hostile_files.py in the isolated child."""

import os
import time


def abort(data, file_name, settings):
    os.abort()  # what python-calamine does on a sheet that claims the full grid


def hang(data, file_name, settings):
    time.sleep(60)


def hog(data, file_name, settings):
    return bytearray(4 * 2**30)  # 4 GB: over the child's memory limit
