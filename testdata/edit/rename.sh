#!/bin/sh
# Changes the object's name (kubectl refuses it).
sed -i 's/^  name: \(.*\)$/  name: \1-renamed/' "$1"
