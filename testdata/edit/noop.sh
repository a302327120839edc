#!/bin/sh
# An editor that saves the file as it was given.
exit 0
