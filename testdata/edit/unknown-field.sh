#!/bin/sh
# Adds a field the API does not know under spec (refused with --validate=strict, dropped
# with --validate=false).
sed -i 's/^spec:$/spec:\n  colour: blue/' "$1"
