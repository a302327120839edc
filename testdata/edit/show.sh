#!/bin/sh
# Shows the file it is given on stderr (the header, the object), changing nothing.
cat "$1" >&2
